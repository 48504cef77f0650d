// One-off: store the manager chain on each ITIL group so escalation rules can read it without recursion.
var group = new GlideRecord('sys_user_group');
group.addActiveQuery();
group.addQuery('type', 'CONTAINS', 'itil');
group.query();
var updated = 0;
while (group.next()) {
    var managers = getGroupManagers(group.getUniqueValue());
    group.setValue('u_escalation_managers', managers.join(','));
    group.setWorkflow(false);
    group.update();
    updated++;
}
gs.info('Escalation managers backfilled on ' + updated + ' groups');
