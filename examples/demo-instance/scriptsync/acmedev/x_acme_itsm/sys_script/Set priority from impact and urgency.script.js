(function executeRule(current, previous /*null when async*/) {

    // Priority is never typed by hand: it follows the impact x urgency matrix,
    // with VIP callers and critical CIs one step higher.
    if (current.impact.changes() || current.urgency.changes() || current.caller_id.changes() || current.operation() == 'insert')
        current.setValue('priority', PriorityCalculator.forIncident(current));

})(current, previous);
