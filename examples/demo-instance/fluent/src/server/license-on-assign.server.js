(function executeRule(current, previous /*null when async*/) {

    // New laptop owner gets a seat of the standard office suite entitlement.
    if (!current.assigned_to.changes() || current.assigned_to.nil())
        return;
    var entitlementId = gs.getProperty('x_acme_cmdb.standard_office_entitlement');
    var seats = new SoftwareLicenseUtils();
    if (!seats.allocateSeat(entitlementId, current.getValue('assigned_to')))
        gs.warn('No office suite seat left for ' + current.assigned_to.getDisplayValue());

})(current, previous);
