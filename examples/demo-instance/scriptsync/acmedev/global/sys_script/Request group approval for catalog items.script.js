(function executeRule(current, previous /*null when async*/) {

    // Catalog items flagged "group approval" ask every member of the item's approval group.
    if (current.cat_item.x_acme_group_approval != true || current.cat_item.group.nil())
        return;
    var approvals = new AcmeApprovalUtils();
    var created = approvals.requestGroupApproval(current, current.cat_item.group.toString());
    current.setValue('approval', created > 0 ? 'requested' : 'not requested');
    current.update();

})(current, previous);
