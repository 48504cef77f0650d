(function executeRule(current, previous /*null when async*/) {

    // A retired asset retires its CI too, and the user's software seats on it go back to the pool.
    if (!current.ci.nil())
        new CIUtils().setOperationalStatus(current.getValue('ci'), 6, 'Asset ' + current.getValue('asset_tag') + ' retired');

    if (!previous.assigned_to.nil()) {
        var licenses = new SoftwareLicenseUtils();
        var reclaimed = licenses.reclaimSeatsForUser(previous.getValue('assigned_to'));
        gs.info('Asset ' + current.getValue('asset_tag') + ' retired, ' + reclaimed + ' seats reclaimed');
    }

})(current, previous);
