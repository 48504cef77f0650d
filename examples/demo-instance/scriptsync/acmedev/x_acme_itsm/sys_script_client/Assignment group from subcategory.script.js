function onChange(control, oldValue, newValue, isLoading, isTemplate) {
    if (isLoading || newValue === '' || g_form.getValue('assignment_group') !== '') {
        return;
    }

    // Fill the assignment group from the category/subcategory routing table.
    var ga = new GlideAjax('x_acme_itsm.IncidentAjax');
    ga.addParam('sysparm_name', 'getAssignmentGroupForCategory');
    ga.addParam('sysparm_category', g_form.getValue('category'));
    ga.addParam('sysparm_subcategory', newValue);
    ga.getXMLAnswer(function(answer) {
        if (!answer)
            return;
        var group = JSON.parse(answer);
        g_form.setValue('assignment_group', group.sys_id, group.name);
    });
}
