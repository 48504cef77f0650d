// Client script: x_acme_hr_leave_request, onSubmit.
// Synchronous on purpose: the request must not be submitted for someone already on leave today.
function onSubmit() {
    var ga = new GlideAjax('x_acme_hr.HRAjaxUtils');
    ga.addParam('sysparm_name', 'isOnLeave');
    ga.addParam('sysparm_user', g_form.getValue('employee'));
    ga.getXMLWait();
    if (ga.getAnswer() == 'true') {
        g_form.addErrorMessage(getMessage('The employee is on leave today; extend the existing request instead.'));
        return false;
    }
    return true;
}
