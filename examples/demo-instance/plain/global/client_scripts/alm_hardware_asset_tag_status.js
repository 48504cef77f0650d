// Client script: alm_hardware, onChange of asset_tag.
// Typing an existing tag shows its current install status so duplicates are caught early.
function onChange(control, oldValue, newValue, isLoading, isTemplate) {
    if (isLoading || newValue === '') {
        return;
    }
    var ga = new GlideAjax('x_acme_cmdb.AssetAjax');
    ga.addParam('sysparm_name', 'getAssetStatus');
    ga.addParam('sysparm_asset_tag', newValue);
    ga.getXMLAnswer(function(status) {
        if (status)
            g_form.showFieldMsg('asset_tag', getMessage('This tag already exists with status ') + status, 'error');
    });
}
