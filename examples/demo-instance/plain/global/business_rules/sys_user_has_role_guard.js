// Business rule: sys_user_has_role, before insert.
// Only security admins may grant roles directly; everyone else goes through group membership.
(function executeRule(current, previous /*null when async*/) {

    if (!new RoleCheckUtils().hasAnyRole('security_admin,acme_identity_admin')) {
        gs.addErrorMessage(gs.getMessage('Grant roles through a group, not directly to the user'));
        current.setAbortAction(true);
    }

})(current, previous);
