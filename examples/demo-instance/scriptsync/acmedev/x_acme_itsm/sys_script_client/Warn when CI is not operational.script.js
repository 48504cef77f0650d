function onChange(control, oldValue, newValue, isLoading, isTemplate) {
    if (isLoading || newValue === '') {
        return;
    }

    // Incidents against retired or non-operational CIs are usually a wrong pick.
    var ga = new GlideAjax('x_acme_cmdb.AssetAjax');
    ga.addParam('sysparm_name', 'getCIOperationalStatus');
    ga.addParam('sysparm_ci', newValue);
    ga.getXMLAnswer(function(status) {
        if (status && status != '1')
            g_form.showFieldMsg('cmdb_ci', getMessage('This configuration item is not operational'), 'info');
    });
}
