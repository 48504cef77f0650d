// Client script: incident, onSubmit (new records only).
// Ask before logging yet another incident for a caller who has several open.
function onSubmit() {
    if (!g_form.isNewRecord())
        return true;
    var ga = new GlideAjax('x_acme_itsm.IncidentAjax');
    ga.addParam('sysparm_name', 'getOpenIncidentCount');
    ga.addParam('sysparm_caller', g_form.getValue('caller_id'));
    ga.getXMLWait();
    var open = parseInt(ga.getAnswer(), 10);
    if (open >= 3)
        return confirm(getMessage('The caller already has {0} open incidents. Log a new one anyway?').replace('{0}', open));
    return true;
}
