(function executeRule(current, previous /*null when async*/) {

    // Three or more active incidents on the same CI without a problem: open one and link this incident.
    if (current.cmdb_ci.nil() || !current.problem_id.nil())
        return;
    var incidents = new IncidentUtils().getActiveIncidentsForCI(current.getValue('cmdb_ci'));
    if (incidents.length >= 3) {
        var problemId = new ProblemUtils().createFromIncident(current);
        gs.info('Recurring incidents on ' + current.cmdb_ci.getDisplayValue() + ': problem ' + problemId + ' opened');
    }

})(current, previous);
