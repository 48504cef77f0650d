/**
 * Approval helpers for any table that uses sysapproval_approver: who still has to
 * approve, creating group approvals, and recording decisions with a comment.
 *
 * @example
 * var approvals = new AcmeApprovalUtils();
 * if (approvals.isApprover(current.getUniqueValue(), gs.getUserID())) { ... }
 */
var AcmeApprovalUtils = Class.create();
AcmeApprovalUtils.prototype = {
    initialize: function() {
    },

    /**
     * Pending approvals for one record.
     * @param {string} documentId sys_id of the approved record (change, RITM, HR case)
     * @returns {Array} objects {approver, sys_id}
     */
    getPendingApprovals: function(documentId) {
        var pending = [];
        var appr = new GlideRecord('sysapproval_approver');
        appr.addQuery('document_id', documentId);
        appr.addQuery('state', 'requested');
        appr.query();
        while (appr.next())
            pending.push({ approver: appr.getDisplayValue('approver'), sys_id: appr.getUniqueValue() });
        return pending;
    },

    /**
     * @param {string} documentId sys_id of the approved record
     * @param {string} userId sys_id of the user
     * @returns {boolean} true when the user has a requested approval on the record
     */
    isApprover: function(documentId, userId) {
        var appr = new GlideRecord('sysapproval_approver');
        appr.addQuery('document_id', documentId);
        appr.addQuery('approver', userId);
        appr.addQuery('state', 'requested');
        appr.setLimit(1);
        appr.query();
        return appr.hasNext();
    },

    /**
     * Asks every active member of a group to approve a record.
     * @param {GlideRecord} recordGr the record to approve
     * @param {string} groupId sys_id of the approving group
     * @returns {number} number of approval records created
     */
    requestGroupApproval: function(recordGr, groupId) {
        var created = 0;
        var member = new GlideRecord('sys_user_grmember');
        member.addQuery('group', groupId);
        member.addQuery('user.active', true);
        member.query();
        while (member.next()) {
            var appr = new GlideRecord('sysapproval_approver');
            appr.initialize();
            appr.setValue('approver', member.getValue('user'));
            appr.setValue('document_id', recordGr.getUniqueValue());
            appr.setValue('source_table', recordGr.getTableName());
            appr.setValue('sysapproval', recordGr.getUniqueValue());
            appr.setValue('state', 'requested');
            if (appr.insert())
                created++;
        }
        return created;
    },

    /**
     * Records the current user's decision.
     * @param {string} approvalId sys_id of the sysapproval_approver record
     * @param {string} decision 'approved' or 'rejected'
     * @param {string} comment mandatory when rejecting
     * @returns {boolean} true when saved
     */
    decide: function(approvalId, decision, comment) {
        if (decision == 'rejected' && !comment)
            return false;
        var appr = new GlideRecord('sysapproval_approver');
        if (!appr.get(approvalId) || appr.getValue('approver') != gs.getUserID())
            return false;
        appr.setValue('state', decision);
        appr.comments = comment;
        return !!appr.update();
    },

    type: 'AcmeApprovalUtils'
};
