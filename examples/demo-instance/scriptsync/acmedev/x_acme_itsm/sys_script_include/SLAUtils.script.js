/**
 * Reads and manipulates task SLAs (task_sla) for the ITSM scope.
 * Written as an ES2021 class: the scope runs in ECMAScript 2021 mode.
 */
class SLAUtils {
    /**
     * @param {number} warnThreshold percentage of elapsed time that counts as at risk
     */
    constructor(warnThreshold = 75) {
        this.warnThreshold = warnThreshold;
    }

    /**
     * Task SLAs of one task that have already breached.
     * @param {string} taskId sys_id of the task
     * @returns {Array} names of the breached SLA definitions
     */
    getBreachedSLAs(taskId) {
        const names = [];
        const sla = new GlideRecord('task_sla');
        sla.addQuery('task', taskId);
        sla.addQuery('has_breached', true);
        sla.query();
        while (sla.next())
            names.push(sla.getDisplayValue('sla'));
        return names;
    }

    /**
     * @param {string} taskId sys_id of the task
     * @returns {boolean} true when any running SLA is past the warning threshold
     */
    isAtRisk(taskId) {
        const sla = new GlideRecord('task_sla');
        sla.addQuery('task', taskId);
        sla.addQuery('stage', 'in_progress');
        sla.addQuery('business_percentage', '>=', this.warnThreshold);
        sla.setLimit(1);
        sla.query();
        return sla.hasNext();
    }

    /**
     * Business time left on the first running SLA.
     * @param {string} taskId sys_id of the task
     * @returns {string} duration display value such as '2 Hours 10 Minutes', or '' when none runs
     */
    getTimeLeft(taskId) {
        const sla = new GlideRecord('task_sla');
        sla.addQuery('task', taskId);
        sla.addQuery('stage', 'in_progress');
        sla.orderBy('planned_end_time');
        sla.setLimit(1);
        sla.query();
        return sla.next() ? sla.getDisplayValue('business_time_left') : '';
    }

    /**
     * Pauses every running SLA, for example while waiting on the caller.
     * @param {string} taskId sys_id of the task
     * @param {string} reason written to the SLA's work notes
     */
    pauseAll(taskId, reason) {
        const sla = new GlideRecord('task_sla');
        sla.addQuery('task', taskId);
        sla.addQuery('stage', 'in_progress');
        sla.query();
        while (sla.next()) {
            sla.setValue('stage', 'paused');
            sla.setValue('x_acme_itsm_pause_reason', reason);
            sla.update();
        }
    }
}
