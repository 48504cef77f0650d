(function executeRule(current, previous /*null when async*/) {

    // Incidents with open child tasks (sc_task, incident_task) cannot be closed.
    var taskUtils = new x_acme_itsm.BaseTaskUtils('incident');
    var open = taskUtils.getOpenChildTaskCount(current.getUniqueValue());
    if (current.state.changesTo(7) && open > 0) {
        gs.addErrorMessage(gs.getMessage('{0} child tasks are still open', [open]));
        current.setAbortAction(true);
    }

})(current, previous);
