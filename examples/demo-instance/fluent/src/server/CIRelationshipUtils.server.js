/**
 * Reads and writes cmdb_rel_ci relationships by type name.
 */
var CIRelationshipUtils = Class.create();
CIRelationshipUtils.prototype = {
    initialize: function() {
    },

    /**
     * Creates a relationship unless it already exists.
     * @param {string} parentId sys_id of the parent CI
     * @param {string} childId sys_id of the child CI
     * @param {string} typeName relationship type, such as 'Runs on::Runs'
     * @returns {string} sys_id of the cmdb_rel_ci record
     */
    addRelationship: function(parentId, childId, typeName) {
        var type = new GlideRecord('cmdb_rel_type');
        if (!type.get('name', typeName))
            return '';
        var rel = new GlideRecord('cmdb_rel_ci');
        rel.addQuery('parent', parentId);
        rel.addQuery('child', childId);
        rel.addQuery('type', type.getUniqueValue());
        rel.query();
        if (rel.next())
            return rel.getUniqueValue();
        rel.initialize();
        rel.setValue('parent', parentId);
        rel.setValue('child', childId);
        rel.setValue('type', type.getUniqueValue());
        return rel.insert();
    },

    /**
     * @param {string} ciId sys_id of the CI
     * @returns {Array} sys_ids of CIs this CI depends on (its children)
     */
    getDownstream: function(ciId) {
        return this._related('parent', ciId, 'child');
    },

    /**
     * @param {string} ciId sys_id of the CI
     * @returns {Array} sys_ids of CIs that depend on this CI (its parents)
     */
    getUpstream: function(ciId) {
        return this._related('child', ciId, 'parent');
    },

    _related: function(matchField, ciId, returnField) {
        var ids = [];
        var rel = new GlideRecord('cmdb_rel_ci');
        rel.addQuery(matchField, ciId);
        rel.query();
        while (rel.next())
            ids.push(rel.getValue(returnField));
        return ids;
    },

    type: 'CIRelationshipUtils'
};
