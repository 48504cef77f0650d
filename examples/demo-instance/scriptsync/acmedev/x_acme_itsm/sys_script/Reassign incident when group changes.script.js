(function executeRule(current, previous /*null when async*/) {

    // Moving an incident to another group clears the assignee and counts a reassignment.
    if (current.assignment_group.changes() && !previous.assignment_group.nil()) {
        current.setValue('assigned_to', '');
        current.setValue('reassignment_count', parseInt(current.getValue('reassignment_count'), 10) + 1);
        if (new SLAUtils().isAtRisk(current.getUniqueValue()))
            new OnCallRotationUtils().page(current.getValue('assignment_group'), current);
    }

})(current, previous);
