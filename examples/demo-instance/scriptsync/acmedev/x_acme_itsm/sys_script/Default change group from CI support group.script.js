(function executeRule(current, previous /*null when async*/) {

    // Changes on a CI go to the group that supports the CI unless someone already picked a group.
    if (current.assignment_group.nil() && !current.cmdb_ci.nil()) {
        var supportGroup = new x_acme_cmdb.CIUtils().getSupportGroup(current.getValue('cmdb_ci'));
        if (supportGroup)
            current.setValue('assignment_group', supportGroup);
    }

})(current, previous);
