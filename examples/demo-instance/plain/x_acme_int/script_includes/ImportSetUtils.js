/**
 * Helpers for transform maps and import set rows (sys_import_set_row).
 * ES2021 class: the integrations scope runs in ECMAScript 2021 mode.
 */
class ImportSetUtils {
    /**
     * Rows of an import set that failed to transform, for the daily error report.
     * @param {string} importSetId sys_id of the sys_import_set
     * @returns {Array} objects {row, message}
     */
    getErrorRows(importSetId) {
        const errors = [];
        const row = new GlideRecord('sys_import_set_row');
        row.addQuery('sys_import_set', importSetId);
        row.addQuery('sys_import_state', 'error');
        row.query();
        while (row.next())
            errors.push({ row: row.getValue('sys_import_row'), message: row.getValue('sys_import_state_comment') });
        return errors;
    }

    /**
     * Normalises a phone number from a source system to E.164 (+country code, digits only).
     * @param {string} raw phone as imported
     * @param {string} defaultCountryCode used when the number has no leading +
     * @returns {string} the normalised number, or '' when nothing is left
     */
    normalisePhone(raw, defaultCountryCode = '1') {
        if (!raw)
            return '';
        const digits = String(raw).replace(/[^0-9+]/g, '');
        if (digits.startsWith('+'))
            return digits;
        return '+' + defaultCountryCode + digits.replace(/^0+/, '');
    }

    /**
     * Looks up a reference by display value for a transform script, without creating it.
     * @param {string} table referenced table
     * @param {string} displayValue value from the source
     * @returns {string} sys_id or ''
     */
    resolveReference(table, displayValue) {
        const gr = new GlideRecord(table);
        gr.addQuery(gr.getDisplayName(), displayValue);
        gr.setLimit(1);
        gr.query();
        return gr.next() ? gr.getUniqueValue() : '';
    }
}
