// Client part: ask for the business justification before promoting.
function promoteMajor() {
    var reason = prompt(getMessage('Why is this a major incident?'));
    if (!reason)
        return false;
    g_form.setValue('work_notes', reason);
    gsftSubmit(null, g_form.getFormElement(), 'x_acme_itsm_promote_major');
}

if (typeof window == 'undefined')
    promoteServer();

// Server part: promote and notify communications.
function promoteServer() {
    new MajorIncidentUtils().promote(current, current.work_notes.getJournalEntry(1));
    action.setRedirectURL(current);
}
