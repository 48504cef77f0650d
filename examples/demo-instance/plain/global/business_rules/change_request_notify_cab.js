// Business rule: change_request, after update, when state changes to Assess.
// The CAB members each get the review notification for the change.
(function executeRule(current, previous /*null when async*/) {

    if (!current.state.changesTo(-4))
        return;
    var notify = new EmailNotificationUtils();
    var sent = notify.notifyGroup(gs.getProperty('x_acme_itsm.cab_group'), 'change.cab.review_requested', current);
    current.work_notes = 'CAB review requested from ' + sent + ' members';
    current.update();

})(current, previous);
