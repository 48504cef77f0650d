/**
 * Attachment helpers around GlideSysAttachment and sys_attachment.
 */
var AcmeAttachmentUtils = Class.create();
AcmeAttachmentUtils.prototype = {
    initialize: function() {
        this.gsa = new GlideSysAttachment();
    },

    /**
     * Copies all attachments from one record to another (for example RITM to catalog task).
     * @param {string} fromTable source table
     * @param {string} fromId source sys_id
     * @param {string} toTable target table
     * @param {string} toId target sys_id
     */
    copyAll: function(fromTable, fromId, toTable, toId) {
        this.gsa.copy(fromTable, fromId, toTable, toId);
    },

    /**
     * @param {string} table table name
     * @param {string} recordId sys_id of the record
     * @returns {number} how many files are attached
     */
    getCount: function(table, recordId) {
        var ga = new GlideAggregate('sys_attachment');
        ga.addQuery('table_name', table);
        ga.addQuery('table_sys_id', recordId);
        ga.addAggregate('COUNT');
        ga.query();
        return ga.next() ? parseInt(ga.getAggregate('COUNT'), 10) : 0;
    },

    /**
     * @param {string} table table name
     * @param {string} recordId sys_id of the record
     * @param {string} extension file extension without the dot, such as 'pdf'
     * @returns {boolean} true when at least one attachment has that extension
     */
    hasFileOfType: function(table, recordId, extension) {
        var att = new GlideRecord('sys_attachment');
        att.addQuery('table_name', table);
        att.addQuery('table_sys_id', recordId);
        att.addQuery('file_name', 'ENDSWITH', '.' + extension);
        att.setLimit(1);
        att.query();
        return att.hasNext();
    },

    /**
     * Deletes attachments on closed records older than a number of days (retention policy).
     * @param {string} table table name
     * @param {number} days retention in days
     * @returns {number} attachments deleted
     */
    purgeOlderThan: function(table, days) {
        var att = new GlideRecord('sys_attachment');
        att.addQuery('table_name', table);
        att.addQuery('sys_created_on', '<', gs.daysAgoStart(days));
        att.query();
        var deleted = 0;
        while (att.next()) {
            this.gsa.deleteAttachment(att.getUniqueValue());
            deleted++;
        }
        return deleted;
    },

    type: 'AcmeAttachmentUtils'
};
