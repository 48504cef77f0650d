/**
 * Working-day arithmetic on an Acme business schedule (cmn_schedule), so holidays
 * and regional calendars are respected.
 */
var WorkingDaysCalculator = Class.create();
WorkingDaysCalculator.prototype = {
    /**
     * @param {string} scheduleName name of the cmn_schedule, defaults to the company 8-5 weekdays schedule
     */
    initialize: function(scheduleName) {
        var schedule = new GlideRecord('cmn_schedule');
        schedule.get('name', scheduleName || 'Acme 8-5 weekdays excluding holidays');
        this.schedule = new GlideSchedule(schedule.getUniqueValue());
    },

    /**
     * @param {GlideDateTime} start when the clock starts
     * @param {number} hours working hours to add
     * @returns {GlideDateTime} the due date inside the schedule
     */
    addWorkingHours: function(start, hours) {
        var duration = new GlideDuration(hours * 60 * 60 * 1000);
        return this.schedule.add(new GlideDateTime(start), duration);
    },

    /**
     * @param {GlideDateTime} start the start
     * @param {GlideDateTime} end the end
     * @returns {number} working days between them, rounded down
     */
    workingDaysBetween: function(start, end) {
        var duration = this.schedule.duration(new GlideDateTime(start), new GlideDateTime(end));
        return Math.floor(duration.getNumericValue() / (9 * 60 * 60 * 1000));
    },

    /**
     * @param {GlideDateTime} date the date to test
     * @returns {boolean} true when the date is a working day
     */
    isWorkingDay: function(date) {
        return this.schedule.isInSchedule(new GlideDateTime(date));
    },

    type: 'WorkingDaysCalculator'
};
