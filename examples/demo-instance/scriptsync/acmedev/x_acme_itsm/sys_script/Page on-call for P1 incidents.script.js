(function executeRule(current, previous /*null when async*/) {

    // P1: page whoever is on call for the assignment group, not just the group mailbox.
    if (current.getValue('priority') != '1' || current.assignment_group.nil())
        return;
    var onCall = new OnCallRotationUtils();
    if (!onCall.page(current.getValue('assignment_group'), current))
        current.work_notes = 'No on-call engineer found for ' + current.assignment_group.getDisplayValue();

})(current, previous);
