/**
 * Classless Script Include: the managers of a group and of its parent groups,
 * nearest first, without duplicates. Used for escalations and approvals.
 *
 * @param {string} groupId sys_id of the sys_user_group
 * @returns {Array} sys_ids of sys_user records
 * @example
 * var managers = getGroupManagers(current.getValue('assignment_group'));
 */
function getGroupManagers(groupId) {
    var managers = [];
    var seen = {};
    var group = new GlideRecord('sys_user_group');
    var depth = 0;
    // Parent chains are short; the depth guard protects against a group that is its own ancestor.
    while (groupId && depth < 10 && group.get(groupId)) {
        var manager = group.getValue('manager');
        if (manager && !seen[manager]) {
            seen[manager] = true;
            managers.push(manager);
        }
        groupId = group.getValue('parent');
        depth++;
    }
    return managers;
}
