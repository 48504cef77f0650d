// Scripted REST resource: POST /api/x_acme_int/jira/webhook
// Jira calls this when an issue linked to an incident changes status.
(function process(/*RESTAPIRequest*/ request, /*RESTAPIResponse*/ response) {

    var issueKey = request.body.data.issue && request.body.data.issue.key;
    var inc = new GlideRecord('incident');
    if (!issueKey || !inc.get('x_acme_int_jira_key', issueKey)) {
        response.setStatus(202);
        return;
    }
    var jira = new JiraIntegration();
    jira.syncStatus(inc);
    response.setStatus(200);

})(request, response);
