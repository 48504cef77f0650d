(function executeRule(current, previous /*null when async*/) {

    // Applications record the server they run on; mirror it as a "Runs on::Runs" relationship.
    if (current.u_host.nil() || !current.u_host.changes())
        return;
    var rels = new CIRelationshipUtils();
    rels.addRelationship(current.getUniqueValue(), current.getValue('u_host'), 'Runs on::Runs');

})(current, previous);
