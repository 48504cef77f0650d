// Resolve from the form: close code and notes are mandatory on the resolution tab.
if (current.close_code.nil() || current.close_notes.nil()) {
    gs.addErrorMessage(gs.getMessage('Close code and close notes are required to resolve'));
    action.setRedirectURL(current);
} else {
    var incidentUtils = new IncidentUtils();
    incidentUtils.resolveIncident(current, current.getValue('close_code'), current.getValue('close_notes'));
    action.setRedirectURL(current);
}
