// UI action: incident form button "Create Jira Bug" (server side).
var jira = new x_acme_int.JiraIntegration();
var key = jira.createIssueFromIncident(current);
if (key)
    gs.addInfoMessage(gs.getMessage('Jira issue {0} created', [key]));
else
    gs.addErrorMessage(gs.getMessage('Jira did not accept the issue; see the integration call log'));
action.setRedirectURL(current);
