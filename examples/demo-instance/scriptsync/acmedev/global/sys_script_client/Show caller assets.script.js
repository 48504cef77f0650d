function onChange(control, oldValue, newValue, isLoading, isTemplate) {
    if (isLoading || newValue === '') {
        return;
    }

    // Hardware the caller has, so the agent can pick the right laptop as the CI.
    var ga = new GlideAjax('x_acme_cmdb.AssetAjax');
    ga.addParam('sysparm_name', 'getUserAssetTags');
    ga.addParam('sysparm_user', newValue);
    ga.getXMLAnswer(function(tags) {
        if (tags)
            g_form.showFieldMsg('cmdb_ci', getMessage('Caller assets: ') + tags, 'info');
    });
}
