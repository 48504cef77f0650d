(function executeRule(current, previous /*null when async*/) {

    // When a major incident is resolved, every child incident attached to it is resolved too,
    // with the parent's close code.
    if (current.state.changesTo(6) && current.getValue('major_incident_state') == 'accepted') {
        var major = new MajorIncidentUtils();
        major.resolveChildren(current);
    }

})(current, previous);
