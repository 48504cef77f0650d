var ProblemUtils = Class.create();
ProblemUtils.prototype = Object.extendsObject(x_acme_itsm.BaseTaskUtils, {
    initialize: function() {
        x_acme_itsm.BaseTaskUtils.prototype.initialize.call(this, 'problem');
    },

    // Opens a problem from a recurring incident and links the incident back to it.
    createFromIncident: function(incidentGr) {
        var problem = new GlideRecord('problem');
        problem.initialize();
        problem.setValue('short_description', incidentGr.getValue('short_description'));
        problem.setValue('cmdb_ci', incidentGr.getValue('cmdb_ci'));
        problem.setValue('assignment_group', incidentGr.getValue('assignment_group'));
        problem.setValue('first_reported_by_task', incidentGr.getUniqueValue());
        var problemId = problem.insert();
        new x_acme_itsm.IncidentUtils().linkToProblem(incidentGr, problemId);
        return problemId;
    },

    getRelatedIncidentCount: function(problemId) {
        var ga = new GlideAggregate('incident');
        ga.addQuery('problem_id', problemId);
        ga.addAggregate('COUNT');
        ga.query();
        return ga.next() ? parseInt(ga.getAggregate('COUNT'), 10) : 0;
    },

    // Known error: workaround published to the knowledge base, problem stays open for the fix.
    markKnownError: function(problemGr, workaround) {
        problemGr.setValue('known_error', true);
        problemGr.setValue('workaround', workaround);
        problemGr.setValue('state', 102);
        problemGr.update();
    },

    type: 'ProblemUtils'
});
