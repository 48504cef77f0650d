function onChange(control, oldValue, newValue, isLoading, isTemplate) {
    if (isLoading || newValue === '') {
        return;
    }

    // Avoid duplicates: tell the agent how many incidents the caller already has open.
    var countAjax = new GlideAjax('x_acme_itsm.IncidentAjax');
    countAjax.addParam('sysparm_name', 'getOpenIncidentCount');
    countAjax.addParam('sysparm_caller', newValue);
    countAjax.getXMLAnswer(function(answer) {
        var open = parseInt(answer, 10);
        if (open > 0)
            g_form.addInfoMessage(getMessage('This caller already has open incidents: ') + open);
    });
}
