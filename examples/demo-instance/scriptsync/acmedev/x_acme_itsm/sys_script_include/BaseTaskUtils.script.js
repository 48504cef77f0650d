/**
 * Shared helpers for every task-based record (incident, change_request, problem,
 * sc_task). Table-specific utilities extend this class instead of copying the
 * assignment and work-note logic.
 *
 * @example
 * var utils = new x_acme_itsm.BaseTaskUtils('incident');
 * utils.addWorkNote(current, 'Reassigned after triage');
 */
var BaseTaskUtils = Class.create();
BaseTaskUtils.prototype = {
    /**
     * @param {string} tableName task table the helper works on, defaults to 'task'
     */
    initialize: function(tableName) {
        this.tableName = tableName || 'task';
        this.userId = gs.getUserID();
    },

    /**
     * Returns the sys_id of the assignment group currently set on a task.
     * @param {string} taskId sys_id of the task
     * @returns {string} sys_id of the assignment group, or '' when unassigned
     */
    getAssignmentGroup: function(taskId) {
        var gr = new GlideRecord(this.tableName);
        if (!gr.get(taskId))
            return '';
        return gr.getValue('assignment_group') || '';
    },

    /**
     * Moves a task to another group and clears the assignee, leaving a work note
     * that explains why.
     * @param {GlideRecord} taskGr the task to reassign
     * @param {string} groupId sys_id of the new assignment group
     * @param {string} reason text written into the work notes
     * @returns {boolean} true when the update went through
     */
    reassign: function(taskGr, groupId, reason) {
        if (!groupId || taskGr.getValue('assignment_group') == groupId)
            return false;
        taskGr.setValue('assignment_group', groupId);
        taskGr.setValue('assigned_to', '');
        taskGr.work_notes = 'Reassigned: ' + (reason || 'no reason given');
        return !!taskGr.update();
    },

    /**
     * Appends a work note without touching any other field.
     * @param {GlideRecord} taskGr the task
     * @param {string} note text of the note
     */
    addWorkNote: function(taskGr, note) {
        taskGr.work_notes = note;
        taskGr.setWorkflow(false);
        taskGr.update();
    },

    /**
     * @param {GlideRecord} taskGr the task
     * @returns {boolean} true when the task is in a closed or cancelled state
     */
    isClosed: function(taskGr) {
        var state = parseInt(taskGr.getValue('state'), 10);
        return state >= 3 && taskGr.getValue('active') == '0';
    },

    /**
     * Counts the active child tasks that still block closure of a parent task.
     * @param {string} parentId sys_id of the parent task
     * @returns {number} number of open children
     */
    getOpenChildTaskCount: function(parentId) {
        var ga = new GlideAggregate('task');
        ga.addQuery('parent', parentId);
        ga.addActiveQuery();
        ga.addAggregate('COUNT');
        ga.query();
        return ga.next() ? parseInt(ga.getAggregate('COUNT'), 10) : 0;
    },

    type: 'BaseTaskUtils'
};
