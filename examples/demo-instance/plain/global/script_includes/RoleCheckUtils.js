var RoleCheckUtils = Class.create();
RoleCheckUtils.prototype = {
    initialize: function() {
    },

    // true when the current user holds at least one of the comma-separated roles
    hasAnyRole: function(roles) {
        var list = roles.split(',');
        for (var i = 0; i < list.length; i++) {
            if (gs.hasRole(list[i].trim()))
                return true;
        }
        return false;
    },

    // Roles of a user that were granted directly rather than inherited through a group.
    getDirectRoles: function(userId) {
        var roles = [];
        var ur = new GlideRecord('sys_user_has_role');
        ur.addQuery('user', userId);
        ur.addQuery('inherited', false);
        ur.query();
        while (ur.next())
            roles.push(ur.getDisplayValue('role'));
        return roles;
    },

    // Admins impersonating someone should not approve on their behalf.
    isImpersonating: function() {
        return gs.getImpersonatingUserName() != null && gs.getImpersonatingUserName() != gs.getUserName();
    },

    // Elevated roles are audited every quarter; the job reads this list.
    listElevatedRoleHolders: function() {
        var holders = [];
        var ur = new GlideRecord('sys_user_has_role');
        ur.addQuery('role.elevated_privilege', true);
        ur.addQuery('user.active', true);
        ur.query();
        while (ur.next())
            holders.push(ur.getDisplayValue('user') + ' (' + ur.getDisplayValue('role') + ')');
        return holders;
    },

    type: 'RoleCheckUtils'
};
