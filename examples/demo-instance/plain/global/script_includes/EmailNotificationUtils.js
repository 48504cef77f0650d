var EmailNotificationUtils = Class.create();
EmailNotificationUtils.prototype = {
    initialize: function() {
        this.fromAddress = gs.getProperty('glide.email.user', 'servicedesk@acme.example');
    },

    // Fires a registered event; notifications subscribe to the event name.
    queueEvent: function(eventName, recordGr, parm1, parm2) {
        gs.eventQueue(eventName, recordGr, parm1 || '', parm2 || '');
    },

    // Sends one ad-hoc email straight to sys_email, for cases without a notification record.
    sendDirectEmail: function(to, subject, body, recordGr) {
        var email = new GlideRecord('sys_email');
        email.initialize();
        email.setValue('type', 'send-ready');
        email.setValue('recipients', to);
        email.setValue('subject', subject);
        email.setValue('body', body);
        if (recordGr) {
            email.setValue('target_table', recordGr.getTableName());
            email.setValue('instance', recordGr.getUniqueValue());
        }
        return email.insert();
    },

    // Every active member of the group gets the event, so the notification can say "your team".
    notifyGroup: function(groupId, eventName, recordGr) {
        var gm = new GlideRecord('sys_user_grmember');
        gm.addQuery('group', groupId);
        gm.addQuery('user.active', true);
        gm.query();
        var count = 0;
        while (gm.next()) {
            gs.eventQueue(eventName, recordGr, gm.getValue('user'), groupId);
            count++;
        }
        return count;
    },

    type: 'EmailNotificationUtils'
};
