(function executeRule(current, previous /*null when async*/) {

    // Rejections without a comment are sent back; approvers must say what to change.
    if (current.state.changesTo('rejected') && current.comments.nil()) {
        gs.addErrorMessage(gs.getMessage('Add a comment explaining the rejection'));
        current.setAbortAction(true);
        return;
    }
    // Admins impersonating the approver cannot approve for them.
    if (current.state.changes() && new RoleCheckUtils().isImpersonating()) {
        gs.addErrorMessage(gs.getMessage('Approvals cannot be decided while impersonating'));
        current.setAbortAction(true);
    }

})(current, previous);
