// Client: a rejection needs a comment before the form is submitted.
function rejectWithComment() {
    if (g_form.getValue('comments') === '') {
        g_form.showFieldMsg('comments', getMessage('Comment required to reject'), 'error');
        return false;
    }
    gsftSubmit(null, g_form.getFormElement(), 'acme_reject');
}

if (typeof window == 'undefined')
    rejectServer();

// Server: record the decision as the current approver.
function rejectServer() {
    new AcmeApprovalUtils().decide(current.getUniqueValue(), 'rejected', current.getValue('comments'));
    action.setRedirectURL(current);
}
