var MajorIncidentUtils = Class.create();
MajorIncidentUtils.prototype = Object.extendsObject(IncidentUtils, {

    // Promotes an incident to a major incident and opens the bridge call record.
    promote: function(incidentGr, justification) {
        incidentGr.setValue('major_incident_state', 'accepted');
        incidentGr.setValue('priority', 1);
        incidentGr.work_notes = 'Promoted to major incident: ' + justification;
        incidentGr.update();
        this._notifyCommunicationsTeam(incidentGr);
    },

    // Child incidents follow the parent: same resolution, same close notes.
    resolveChildren: function(parentGr) {
        var child = new GlideRecord('incident');
        child.addQuery('parent_incident', parentGr.getUniqueValue());
        child.addActiveQuery();
        child.query();
        while (child.next())
            this.resolveIncident(child, parentGr.getValue('close_code'), 'Resolved with parent ' + parentGr.getValue('number'));
    },

    _notifyCommunicationsTeam: function(incidentGr) {
        var managers = global.getGroupManagers(gs.getProperty('x_acme_itsm.major_incident.comms_group'));
        gs.eventQueue('x_acme_itsm.major_incident.promoted', incidentGr, managers.join(','), incidentGr.getValue('short_description'));
    },

    type: 'MajorIncidentUtils'
});
