function onChange(control, oldValue, newValue, isLoading, isTemplate) {
    if (isLoading || newValue === '') {
        return;
    }

    // Most people have one laptop; show what the new owner already holds before saving.
    var ga = new GlideAjax('x_acme_cmdb.AssetAjax');
    ga.addParam('sysparm_name', 'getUserAssetTags');
    ga.addParam('sysparm_user', newValue);
    ga.getXMLAnswer(function(answer) {
        if (answer)
            g_form.showFieldMsg('assigned_to', getMessage('Already assigned: ') + answer, 'info');
    });
}
