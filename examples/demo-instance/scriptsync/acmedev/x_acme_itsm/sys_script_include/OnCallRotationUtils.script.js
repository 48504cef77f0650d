var OnCallRotationUtils = Class.create();
OnCallRotationUtils.prototype = {
    initialize: function() {
    },

    // Who is on call for a group right now, falling back to the group manager.
    getCurrentOnCall: function(groupId) {
        var shift = new GlideRecord('x_acme_itsm_on_call_shift');
        var now = new GlideDateTime();
        shift.addQuery('group', groupId);
        shift.addQuery('starts', '<=', now);
        shift.addQuery('ends', '>', now);
        shift.setLimit(1);
        shift.query();
        if (shift.next())
            return shift.getValue('user');
        var group = new GlideRecord('sys_user_group');
        return group.get(groupId) ? group.getValue('manager') : '';
    },

    // Pages the on-call engineer by SMS event; the notification reads parm1 for the number.
    page: function(groupId, taskGr) {
        var userId = this.getCurrentOnCall(groupId);
        if (!userId)
            return false;
        gs.eventQueue('x_acme_itsm.on_call.page', taskGr, userId, taskGr.getValue('number'));
        return true;
    },

    type: 'OnCallRotationUtils'
};
