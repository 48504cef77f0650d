// Service desk escalation: one step up on impact and urgency, with the reason in the work notes.
var utils = new IncidentUtils();
utils.escalatePriority(current, 'Escalated from the form by ' + gs.getUserDisplayName());
current.update();
action.setRedirectURL(current);
