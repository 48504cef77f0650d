// Incident form link "Who is on call?": the engineer currently on shift for the assignment group.
var onCall = new OnCallRotationUtils();
var userId = onCall.getCurrentOnCall(current.getValue('assignment_group'));
var user = new GlideRecord('sys_user');
if (userId && user.get(userId))
    gs.addInfoMessage(gs.getMessage('On call for {0}: {1} ({2})', [current.assignment_group.getDisplayValue(), user.getDisplayValue(), user.getValue('mobile_phone')]));
else
    gs.addInfoMessage(gs.getMessage('Nobody is on call for this group'));
action.setRedirectURL(current);
