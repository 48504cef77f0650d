var AcmeUserUtils = Class.create();
AcmeUserUtils.prototype = {
    initialize: function() {
    },

    // Manager of a user; the current user when no id is given.
    getManager: function(userId) {
        var user = new GlideRecord('sys_user');
        if (!user.get(userId || gs.getUserID()))
            return '';
        return user.getValue('manager') || '';
    },

    getUserByEmail: function(email) {
        var user = new GlideRecord('sys_user');
        user.addQuery('email', email.toLowerCase());
        user.addActiveQuery();
        user.setLimit(1);
        user.query();
        return user.next() ? user.getUniqueValue() : '';
    },

    isMemberOf: function(userId, groupName) {
        var member = new GlideRecord('sys_user_grmember');
        member.addQuery('user', userId);
        member.addQuery('group.name', groupName);
        member.setLimit(1);
        member.query();
        return member.hasNext();
    },

    // Department, location and cost center in one call, for forms that default them from the caller.
    getOrgInfo: function(userId) {
        var user = new GlideRecord('sys_user');
        if (!user.get(userId))
            return null;
        return {
            department: user.getValue('department'),
            location: user.getValue('location'),
            cost_center: user.getValue('cost_center'),
            company: user.getValue('company')
        };
    },

    // Deactivates a leaver's account and strips interactive login.
    deactivate: function(userId, reason) {
        var user = new GlideRecord('sys_user');
        if (!user.get(userId))
            return false;
        user.setValue('active', false);
        user.setValue('locked_out', true);
        user.setValue('web_service_access_only', false);
        user.update();
        gs.info('AcmeUserUtils: deactivated ' + user.getValue('user_name') + ' (' + reason + ')');
        return true;
    },

    type: 'AcmeUserUtils'
};
