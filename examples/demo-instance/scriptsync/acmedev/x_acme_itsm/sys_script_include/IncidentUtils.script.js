var IncidentUtils = Class.create();
IncidentUtils.prototype = Object.extendsObject(x_acme_itsm.BaseTaskUtils, {
    initialize: function() {
        x_acme_itsm.BaseTaskUtils.prototype.initialize.call(this, 'incident');
    },

    // Active incidents raised against one configuration item, newest first.
    getActiveIncidentsForCI: function(ciId) {
        var ids = [];
        var gr = new GlideRecord('incident');
        gr.addActiveQuery();
        gr.addQuery('cmdb_ci', ciId);
        gr.orderByDesc('sys_created_on');
        gr.query();
        while (gr.next())
            ids.push(gr.getUniqueValue());
        return ids;
    },

    // Resolves with a close code and notes; the caller decides whether to notify.
    resolveIncident: function(incidentGr, closeCode, closeNotes) {
        incidentGr.setValue('state', 6);
        incidentGr.setValue('close_code', closeCode || 'Solved (Permanently)');
        incidentGr.setValue('close_notes', closeNotes);
        incidentGr.setValue('resolved_by', gs.getUserID());
        incidentGr.setValue('resolved_at', new GlideDateTime());
        return incidentGr.update();
    },

    // Bumps impact/urgency by one step and recalculates priority from the matrix.
    escalatePriority: function(incidentGr, reason) {
        var impact = Math.max(1, parseInt(incidentGr.getValue('impact'), 10) - 1);
        var urgency = Math.max(1, parseInt(incidentGr.getValue('urgency'), 10) - 1);
        incidentGr.setValue('impact', impact);
        incidentGr.setValue('urgency', urgency);
        incidentGr.setValue('priority', x_acme_itsm.PriorityCalculator.fromImpactUrgency(impact, urgency));
        this.addWorkNote(incidentGr, 'Priority escalated: ' + reason);
    },

    linkToProblem: function(incidentGr, problemId) {
        incidentGr.setValue('problem_id', problemId);
        incidentGr.work_notes = 'Linked to problem ' + problemId;
        incidentGr.update();
    },

    // Priority 1 incidents opened in the last 24 hours, used by the major incident dashboard.
    getRecentMajorIncidentCount: function() {
        var ga = new GlideAggregate('incident');
        ga.addQuery('priority', 1);
        ga.addQuery('sys_created_on', '>=', gs.daysAgoStart(1));
        ga.addAggregate('COUNT');
        ga.query();
        return ga.next() ? parseInt(ga.getAggregate('COUNT'), 10) : 0;
    },

    type: 'IncidentUtils'
});
