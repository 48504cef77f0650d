(function executeRule(current, previous /*null when async*/) {

    // CAB wants to see which business services a change can take down: services that depend on the CI,
    // directly or through the CIs above it.
    if (current.cmdb_ci.nil())
        return;
    var ciId = current.getValue('cmdb_ci');
    var services = new x_acme_cmdb.CIUtils().getImpactedServices(ciId);
    var upstream = new x_acme_cmdb.CIRelationshipUtils().getUpstream(ciId);
    current.setValue('u_impacted_services', services.join(', '));
    current.work_notes = services.length + ' business services and ' + upstream.length + ' dependent CIs affected';

})(current, previous);
