// Problem form button: publish the workaround and flag the problem as a known error.
if (current.workaround.nil()) {
    gs.addErrorMessage(gs.getMessage('Document the workaround first'));
} else {
    var problemUtils = new ProblemUtils();
    problemUtils.markKnownError(current, current.getValue('workaround'));
    gs.addInfoMessage(gs.getMessage('{0} related incidents can use the workaround', [problemUtils.getRelatedIncidentCount(current.getUniqueValue())]));
}
action.setRedirectURL(current);
