// UI action: alm_hardware form button "Order replacement" (server side).
// Orders the standard laptop catalog item for the current owner and retires this asset.
var catalog = new CatalogRequestUtils();
var requestNumber = catalog.orderItem(gs.getProperty('acme.catalog.standard_laptop'), current.getValue('assigned_to'), {
    replaces_asset: current.getValue('asset_tag'),
    reason: 'Hardware fault'
});
new x_acme_cmdb.AssetUtils().retire(current, 'Replaced by ' + requestNumber);
gs.addInfoMessage(gs.getMessage('Replacement ordered: {0}', [requestNumber]));
action.setRedirectURL(current);
