// UI action: alm_hardware list/form "Assign to me", client side with a confirmation.
function assignToMe() {
    if (!confirm(getMessage('Assign this asset to yourself?')))
        return false;
    gsftSubmit(null, g_form.getFormElement(), 'acme_assign_to_me');
}

if (typeof window == 'undefined')
    assignToMeServer();

function assignToMeServer() {
    var assets = new x_acme_cmdb.AssetUtils();
    if (!assets.assignToUser(current.getUniqueValue(), gs.getUserID()))
        gs.addErrorMessage(gs.getMessage('Only in-stock assets can be assigned'));
    action.setRedirectURL(current);
}
