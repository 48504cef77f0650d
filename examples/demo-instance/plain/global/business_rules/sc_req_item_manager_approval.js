// Business rule: sc_req_item, before insert.
// Items above the cost threshold need the fulfilment group's management chain on the approval list.
(function executeRule(current, previous /*null when async*/) {

    if (parseFloat(current.getValue('price')) < 1000 || current.cat_item.group.nil())
        return;
    var managers = getGroupManagers(current.cat_item.group.toString());
    current.setValue('u_required_approvers', managers.join(','));

})(current, previous);
