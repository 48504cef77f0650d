/**
 * Change request helpers: conflict checks against other changes on the same CI,
 * maintenance windows and blackout periods.
 */
var ChangeUtils = Class.create();
ChangeUtils.prototype = Object.extendsObject(x_acme_itsm.BaseTaskUtils, {
    initialize: function() {
        x_acme_itsm.BaseTaskUtils.prototype.initialize.call(this, 'change_request');
    },

    /**
     * Finds other scheduled changes on the same CI whose planned window overlaps.
     * @param {GlideRecord} changeGr the change_request being scheduled
     * @returns {Array} numbers of conflicting changes
     */
    checkConflicts: function(changeGr) {
        var conflicts = [];
        var other = new GlideRecord('change_request');
        other.addQuery('cmdb_ci', changeGr.getValue('cmdb_ci'));
        other.addQuery('sys_id', '!=', changeGr.getUniqueValue());
        other.addQuery('state', 'IN', '-2,-1');
        other.addQuery('start_date', '<', changeGr.getValue('end_date'));
        other.addQuery('end_date', '>', changeGr.getValue('start_date'));
        other.query();
        while (other.next())
            conflicts.push(other.getValue('number'));
        return conflicts;
    },

    /**
     * @param {string} startDate planned start, in the instance time zone
     * @returns {boolean} true when the start falls inside a blackout schedule
     */
    isInBlackout: function(startDate) {
        var blackout = new GlideRecord('cmn_schedule');
        blackout.addQuery('type', 'blackout');
        blackout.query();
        var start = new GlideDateTime(startDate);
        while (blackout.next()) {
            var schedule = new GlideSchedule(blackout.getUniqueValue());
            if (schedule.isInSchedule(start))
                return true;
        }
        return false;
    },

    /**
     * Sends a normal change to the CAB: moves it to Assess and asks every CAB member for approval.
     * @param {GlideRecord} changeGr the change_request
     * @returns {number} approvals created
     */
    submitForApproval: function(changeGr) {
        changeGr.setValue('state', -4);
        changeGr.update();
        var approvals = new global.AcmeApprovalUtils();
        return approvals.requestGroupApproval(changeGr, gs.getProperty('x_acme_itsm.cab_group'));
    },

    type: 'ChangeUtils'
});
