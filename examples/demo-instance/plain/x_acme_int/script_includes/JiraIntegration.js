var JiraIntegration = Class.create();
JiraIntegration.prototype = {
    initialize: function() {
        this.client = new x_acme_int.RestClientUtils('Acme Jira Cloud');
        this.projectKey = gs.getProperty('x_acme_int.jira.project', 'OPS');
    },

    // Creates a Jira bug for an incident that needs a code fix and stores the key on the incident.
    createIssueFromIncident: function(incidentGr) {
        var res = this.client.post('/rest/api/3/issue', {
            fields: {
                project: { key: this.projectKey },
                issuetype: { name: 'Bug' },
                summary: incidentGr.getValue('number') + ': ' + incidentGr.getValue('short_description'),
                labels: ['servicenow', incidentGr.getValue('category') || 'uncategorised']
            }
        });
        if (res.status != 201)
            return '';
        incidentGr.setValue('x_acme_int_jira_key', res.body.key);
        incidentGr.work_notes = 'Jira issue ' + res.body.key + ' created';
        incidentGr.update();
        return res.body.key;
    },

    // Jira status -> work note on the incident; resolution in Jira does not resolve the incident.
    syncStatus: function(incidentGr) {
        var key = incidentGr.getValue('x_acme_int_jira_key');
        if (!key)
            return false;
        var res = this.client.get('/rest/api/3/issue/' + key, { fields: 'status' });
        if (res.status != 200)
            return false;
        var status = res.body.fields.status.name;
        if (status != incidentGr.getValue('x_acme_int_jira_status')) {
            incidentGr.setValue('x_acme_int_jira_status', status);
            incidentGr.work_notes = 'Jira ' + key + ' is now ' + status;
            incidentGr.update();
        }
        return true;
    },

    type: 'JiraIntegration'
};
