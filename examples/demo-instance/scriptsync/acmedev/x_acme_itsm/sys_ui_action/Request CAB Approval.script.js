// Normal changes need CAB approval before they can be scheduled.
var changeUtils = new ChangeUtils();
var conflicts = changeUtils.checkConflicts(current);
if (conflicts.length > 0) {
    gs.addErrorMessage(gs.getMessage('Resolve the schedule conflicts first: {0}', [conflicts.join(', ')]));
} else {
    var requested = changeUtils.submitForApproval(current);
    gs.addInfoMessage(gs.getMessage('{0} CAB approvals requested', [requested]));
}
action.setRedirectURL(current);
