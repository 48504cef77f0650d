function onChange(control, oldValue, newValue, isLoading, isTemplate) {
    if (newValue === '') {
        g_form.hideFieldMsg('caller_id', true);
        return;
    }

    // VIP callers get a red banner under the caller field.
    var ga = new GlideAjax('x_acme_itsm.IncidentAjax');
    ga.addParam('sysparm_name', 'isCallerVIP');
    ga.addParam('sysparm_caller', newValue);
    ga.getXMLAnswer(function(answer) {
        if (answer == 'true')
            g_form.showFieldMsg('caller_id', getMessage('VIP caller'), 'error');
    });
}
