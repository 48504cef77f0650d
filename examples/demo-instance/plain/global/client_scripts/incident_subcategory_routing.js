// Client script: incident, onChange of category.
// Changing the category clears the subcategory and asks the routing table for the default group.
function onChange(control, oldValue, newValue, isLoading, isTemplate) {
    if (isLoading || newValue === '' || newValue == oldValue) {
        return;
    }
    g_form.clearValue('subcategory');
    var router = new GlideAjax('x_acme_itsm.IncidentAjax');
    router.addParam('sysparm_name', 'getAssignmentGroupForCategory');
    router.addParam('sysparm_category', newValue);
    router.addParam('sysparm_subcategory', '');
    router.getXMLAnswer(function(answer) {
        if (answer) {
            var group = JSON.parse(answer);
            g_form.setValue('assignment_group', group.sys_id, group.name);
        }
    });
}
