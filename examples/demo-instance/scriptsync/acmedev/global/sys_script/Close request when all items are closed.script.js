(function executeRule(current, previous /*null when async*/) {

    // The parent sc_request closes when its last requested item closes.
    if (!current.active.changesTo(false))
        return;
    var open = new CatalogRequestUtils().getOpenItems(current.getValue('request'));
    if (open.length === 0) {
        var req = current.request.getRefRecord();
        req.setValue('request_state', 'closed_complete');
        req.update();
    }

})(current, previous);
