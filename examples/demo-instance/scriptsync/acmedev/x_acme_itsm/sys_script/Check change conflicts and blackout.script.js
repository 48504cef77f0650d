(function executeRule(current, previous /*null when async*/) {

    // Planned dates moved: look for overlapping changes on the same CI and for blackout windows.
    if (!current.start_date.changes() && !current.end_date.changes() && !current.cmdb_ci.changes())
        return;

    var changeUtils = new ChangeUtils();
    var conflicts = changeUtils.checkConflicts(current);
    current.setValue('conflict_status', conflicts.length ? 'Conflict' : 'No Conflict');
    if (conflicts.length)
        current.work_notes = 'Schedule conflicts with ' + conflicts.join(', ');

    if (changeUtils.isInBlackout(current.getValue('start_date'))) {
        gs.addErrorMessage(gs.getMessage('The planned start falls inside a change blackout window'));
        current.setAbortAction(true);
    }

})(current, previous);
