/**
 * Hardware asset lifecycle: assignment to users, reservation for new hires,
 * collection from leavers and retirement.
 */
var AssetUtils = Class.create();
AssetUtils.prototype = {
    initialize: function() {
    },

    /**
     * @param {string} userId sys_id of the sys_user
     * @returns {Array} objects {sys_id, asset_tag, model} of hardware assigned to the user
     */
    getAssetsForUser: function(userId) {
        var assets = [];
        var hw = new GlideRecord('alm_hardware');
        hw.addQuery('assigned_to', userId);
        hw.addQuery('install_status', 1);
        hw.query();
        while (hw.next())
            assets.push({ sys_id: hw.getUniqueValue(), asset_tag: hw.getValue('asset_tag'), model: hw.getDisplayValue('model') });
        return assets;
    },

    /**
     * Assigns an in-stock asset to a user and sets it in use.
     * @param {string} assetId sys_id of the alm_hardware
     * @param {string} userId sys_id of the user
     * @returns {boolean} false when the asset is not in stock
     */
    assignToUser: function(assetId, userId) {
        var hw = new GlideRecord('alm_hardware');
        if (!hw.get(assetId) || hw.getValue('install_status') != 6)
            return false;
        hw.setValue('assigned_to', userId);
        hw.setValue('assigned', new GlideDateTime());
        hw.setValue('install_status', 1);
        hw.setValue('substatus', '');
        return !!hw.update();
    },

    /**
     * Reserves an in-stock laptop of the given model for a new hire.
     * @param {string} modelName model display name, such as 'Acme Standard Laptop 14'
     * @param {string} userId sys_id of the new hire
     * @returns {string} asset tag reserved, or '' when none is in stock
     */
    reserveForNewHire: function(modelName, userId) {
        var hw = new GlideRecord('alm_hardware');
        hw.addQuery('model.display_name', modelName);
        hw.addQuery('install_status', 6);
        hw.addQuery('substatus', 'available');
        hw.setLimit(1);
        hw.query();
        if (!hw.next())
            return '';
        hw.setValue('substatus', 'reserved');
        hw.setValue('reserved_for', userId);
        hw.update();
        return hw.getValue('asset_tag');
    },

    /**
     * Marks all of a leaver's hardware as pending collection.
     * @param {string} userId sys_id of the leaver
     * @returns {number} assets flagged
     */
    flagForCollection: function(userId) {
        var hw = new GlideRecord('alm_hardware');
        hw.addQuery('assigned_to', userId);
        hw.addQuery('install_status', 1);
        hw.query();
        var count = 0;
        while (hw.next()) {
            hw.setValue('substatus', 'pending_collection');
            hw.update();
            count++;
        }
        return count;
    },

    /**
     * @param {GlideRecord} assetGr the asset to retire
     * @param {string} disposalReason reason recorded on the asset
     */
    retire: function(assetGr, disposalReason) {
        assetGr.setValue('install_status', 7);
        assetGr.setValue('retired', new GlideDateTime());
        assetGr.setValue('disposal_reason', disposalReason);
        assetGr.update();
    },

    type: 'AssetUtils'
};
