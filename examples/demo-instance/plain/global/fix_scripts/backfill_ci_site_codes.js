// Fix script: site codes were added to CIs in March 2026; fill them for existing hardware.
var ci = new GlideRecord('cmdb_ci_hardware');
ci.addNotNullQuery('location');
ci.addNullQuery('u_site_code');
ci.query();
var count = 0;
while (ci.next()) {
    ci.setValue('u_site_code', x_acme_cmdb.CMDBLocationUtils.getSiteCode(ci.getValue('location')));
    ci.setWorkflow(false);
    ci.update();
    count++;
}
gs.info('Site codes backfilled on ' + count + ' CIs');
