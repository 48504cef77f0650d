var AcmeGroupUtils = Class.create();
AcmeGroupUtils.prototype = {
    initialize: function() {
    },

    // sys_ids of the active members of a group.
    getMembers: function(groupId) {
        var members = [];
        var gm = new GlideRecord('sys_user_grmember');
        gm.addQuery('group', groupId);
        gm.addQuery('user.active', true);
        gm.query();
        while (gm.next())
            members.push(gm.getValue('user'));
        return members;
    },

    addMember: function(groupId, userId) {
        var gm = new GlideRecord('sys_user_grmember');
        gm.addQuery('group', groupId);
        gm.addQuery('user', userId);
        gm.query();
        if (gm.hasNext())
            return false;
        gm.initialize();
        gm.setValue('group', groupId);
        gm.setValue('user', userId);
        return !!gm.insert();
    },

    // Removes the user from every group, returns the names of the groups left.
    removeFromAllGroups: function(userId) {
        var left = [];
        var gm = new GlideRecord('sys_user_grmember');
        gm.addQuery('user', userId);
        gm.query();
        while (gm.next()) {
            left.push(gm.getDisplayValue('group'));
            gm.deleteRecord();
        }
        return left;
    },

    // Groups with no active member cannot take assignments; the audit job lists them.
    findEmptyGroups: function() {
        var empty = [];
        var group = new GlideRecord('sys_user_group');
        group.addActiveQuery();
        group.query();
        while (group.next()) {
            if (this.getMembers(group.getUniqueValue()).length === 0)
                empty.push(group.getValue('name'));
        }
        return empty;
    },

    type: 'AcmeGroupUtils'
};
