/**
 * Date arithmetic on GlideDateTime values in the instance time zone.
 * A revealing module: stateless, call DateMath.addBusinessDays(...) directly.
 */
var DateMath = (function() {

    /**
     * Adds calendar days.
     * @param {GlideDateTime} start the start date
     * @param {number} days days to add, negative to go back
     * @returns {GlideDateTime} a new value, start is not modified
     */
    function addDays(start, days) {
        var result = new GlideDateTime(start);
        result.addDaysLocalTime(days);
        return result;
    }

    /**
     * Adds working days, skipping Saturdays and Sundays (not holidays: use WorkingDaysCalculator for that).
     * @param {GlideDateTime} start the start date
     * @param {number} days working days to add
     * @returns {GlideDateTime} the resulting date
     */
    function addBusinessDays(start, days) {
        var result = new GlideDateTime(start);
        var added = 0;
        while (added < days) {
            result.addDaysLocalTime(1);
            var dow = result.getDayOfWeekLocalTime();
            if (dow < 6)
                added++;
        }
        return result;
    }

    /**
     * Whole days between two dates, ignoring the time of day.
     * @param {GlideDateTime} from earlier date
     * @param {GlideDateTime} to later date
     * @returns {number} days, negative when to is before from
     */
    function daysBetween(from, to) {
        var diff = GlideDateTime.subtract(new GlideDateTime(from), new GlideDateTime(to));
        return Math.floor(diff.getNumericValue() / (24 * 60 * 60 * 1000));
    }

    /**
     * @param {GlideDateTime} date the date
     * @returns {string} first day of its month, yyyy-MM-dd
     */
    function startOfMonth(date) {
        var gdt = new GlideDateTime(date);
        return gdt.getYearLocalTime() + '-' + _pad(gdt.getMonthLocalTime()) + '-01';
    }

    function _pad(n) {
        return n < 10 ? '0' + n : String(n);
    }

    return {
        addDays: addDays,
        addBusinessDays: addBusinessDays,
        daysBetween: daysBetween,
        startOfMonth: startOfMonth
    };
})();
