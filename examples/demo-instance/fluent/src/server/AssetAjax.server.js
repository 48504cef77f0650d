var AssetAjax = Class.create();
AssetAjax.prototype = Object.extendsObject(global.AbstractAjaxProcessor, {

    // Asset tags of the hardware assigned to sysparm_user, comma separated.
    getUserAssetTags: function() {
        var assets = new AssetUtils().getAssetsForUser(this.getParameter('sysparm_user'));
        var tags = [];
        for (var i = 0; i < assets.length; i++)
            tags.push(assets[i].asset_tag);
        return tags.join(',');
    },

    // Install status display value of the asset in sysparm_asset_tag.
    getAssetStatus: function() {
        var hw = new GlideRecord('alm_hardware');
        if (!hw.get('asset_tag', this.getParameter('sysparm_asset_tag')))
            return '';
        return hw.getDisplayValue('install_status');
    },

    // Operational status of the CI in sysparm_ci, so the form can warn about retired CIs.
    getCIOperationalStatus: function() {
        var ci = new GlideRecord('cmdb_ci');
        if (!ci.get(this.getParameter('sysparm_ci')))
            return '';
        return ci.getValue('operational_status');
    },

    type: 'AssetAjax'
});
