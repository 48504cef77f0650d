// Business rule: sys_user, after update, when department changes.
// A department move is a job change for HR: open the case and copy the new HR business partner.
(function executeRule(current, previous /*null when async*/) {

    if (!current.department.changes() || previous.department.nil())
        return;
    var hrCases = new x_acme_hr.HRCaseUtils();
    hrCases.createCase(current.getUniqueValue(), 'job_change',
        'Moved from ' + previous.department.getDisplayValue() + ' to ' + current.department.getDisplayValue());

})(current, previous);
