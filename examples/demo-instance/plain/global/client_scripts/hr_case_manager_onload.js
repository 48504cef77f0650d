// Client script: x_acme_hr_case, onLoad.
// Cases created from the portal have no manager yet; default it from the subject person.
function onLoad() {
    if (!g_form.isNewRecord() || g_form.getValue('manager') !== '')
        return;
    var ga = new GlideAjax('x_acme_hr.HRAjaxUtils');
    ga.addParam('sysparm_name', 'getManagerInfo');
    ga.addParam('sysparm_user', g_form.getValue('subject_person'));
    ga.getXMLAnswer(function(managerId) {
        if (managerId)
            g_form.setValue('manager', managerId);
    });
}
