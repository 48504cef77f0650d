// Client script: incident, onLoad.
// The VIP banner must also show when an existing incident is opened, not only when the caller changes.
function onLoad() {
    var caller = g_form.getValue('caller_id');
    if (!caller)
        return;
    var ga = new GlideAjax('x_acme_itsm.IncidentAjax');
    ga.addParam('sysparm_name', 'isCallerVIP');
    ga.addParam('sysparm_caller', caller);
    ga.getXMLAnswer(function(answer) {
        if (answer == 'true')
            g_form.addErrorMessage(getMessage('VIP caller: handle with priority'));
    });
}
