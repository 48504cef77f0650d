(function executeRule(current, previous /*null when async*/) {

    // Server names carry the site code (lnx-LOND-014); keep the site code field in step with the location.
    if (current.location.changes() || current.operation() == 'insert')
        current.setValue('u_site_code', CMDBLocationUtils.getSiteCode(current.getValue('location')));

    // Completeness drives the CMDB health dashboard; recompute it on every save.
    var health = new CMDBHealthUtils();
    current.setValue('u_completeness', health.completeness(current));

})(current, previous);
