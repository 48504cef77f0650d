(function executeRule(current, previous /*null when async*/) {

    // Approved requested items go straight to fulfillment; the catalog task workflow picks them up.
    if (current.approval.changesTo('approved')) {
        var catalog = new CatalogRequestUtils();
        catalog.setStage(current, 'fulfillment');
    }

})(current, previous);
