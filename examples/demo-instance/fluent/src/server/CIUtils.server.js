/**
 * Configuration item lookups and status changes for the Acme CMDB scope.
 *
 * @example
 * var ci = new x_acme_cmdb.CIUtils().getCIByName('lnx-web-014');
 */
var CIUtils = Class.create();
CIUtils.prototype = {
    /**
     * @param {string} ciClass CMDB class to work on, defaults to cmdb_ci
     */
    initialize: function(ciClass) {
        this.ciClass = ciClass || 'cmdb_ci';
    },

    /**
     * @param {string} name CI name, case-insensitive
     * @returns {string} sys_id of the first operational CI with that name, or ''
     */
    getCIByName: function(name) {
        var ci = new GlideRecord(this.ciClass);
        ci.addQuery('name', name);
        ci.addQuery('operational_status', 1);
        ci.setLimit(1);
        ci.query();
        return ci.next() ? ci.getUniqueValue() : '';
    },

    /**
     * Sets operational status and records who changed it and why.
     * @param {string} ciId sys_id of the CI
     * @param {number} status 1 operational, 2 non-operational, 3 repair in progress, 6 retired
     * @param {string} reason stored in the CI's comments
     * @returns {boolean} true when updated
     */
    setOperationalStatus: function(ciId, status, reason) {
        var ci = new GlideRecord(this.ciClass);
        if (!ci.get(ciId))
            return false;
        ci.setValue('operational_status', status);
        ci.setValue('comments', gs.getUserDisplayName() + ': ' + reason);
        return !!ci.update();
    },

    /**
     * Business services that depend on a CI, through cmdb_rel_ci "Depends on::Used by".
     * @param {string} ciId sys_id of the CI
     * @returns {Array} names of the business services
     */
    getImpactedServices: function(ciId) {
        var services = [];
        var rel = new GlideRecord('cmdb_rel_ci');
        rel.addQuery('child', ciId);
        rel.addQuery('parent.sys_class_name', 'cmdb_ci_service');
        rel.query();
        while (rel.next())
            services.push(rel.getDisplayValue('parent'));
        return services;
    },

    /**
     * @param {string} ciId sys_id of the CI
     * @returns {string} sys_id of the group that supports it (support_group, else assignment_group)
     */
    getSupportGroup: function(ciId) {
        var ci = new GlideRecord('cmdb_ci');
        if (!ci.get(ciId))
            return '';
        return ci.getValue('support_group') || ci.getValue('assignment_group') || '';
    },

    type: 'CIUtils'
};
