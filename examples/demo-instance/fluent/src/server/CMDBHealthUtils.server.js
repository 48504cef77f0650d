/**
 * CMDB health checks: duplicates, stale CIs and completeness of required fields.
 */
class CMDBHealthUtils {
    constructor(requiredFields = ['name', 'serial_number', 'support_group', 'location']) {
        this.requiredFields = requiredFields;
    }

    /**
     * Serial numbers that appear on more than one CI of a class.
     * @param {string} ciClass CMDB class such as cmdb_ci_computer
     * @returns {Array} duplicated serial numbers
     */
    findDuplicateSerials(ciClass) {
        const duplicates = [];
        const ga = new GlideAggregate(ciClass);
        ga.addNotNullQuery('serial_number');
        ga.addAggregate('COUNT', 'serial_number');
        ga.groupBy('serial_number');
        ga.addHaving('COUNT', '>', 1);
        ga.query();
        while (ga.next())
            duplicates.push(ga.getValue('serial_number'));
        return duplicates;
    }

    /**
     * @param {string} ciClass CMDB class
     * @param {number} days CIs not updated for this many days are stale
     * @returns {number} count of stale operational CIs
     */
    countStale(ciClass, days) {
        const ga = new GlideAggregate(ciClass);
        ga.addQuery('operational_status', 1);
        ga.addQuery('sys_updated_on', '<', gs.daysAgoStart(days));
        ga.addAggregate('COUNT');
        ga.query();
        return ga.next() ? parseInt(ga.getAggregate('COUNT'), 10) : 0;
    }

    /**
     * Share of required fields filled on one CI.
     * @param {GlideRecord} ciGr the CI
     * @returns {number} 0..100
     */
    completeness(ciGr) {
        const filled = this.requiredFields.filter((field) => !ciGr.getElement(field).nil()).length;
        return Math.round((filled / this.requiredFields.length) * 100);
    }
}
