// Every 30 minutes: pull the Jira status of open incidents that have a linked Jira bug.
var jira = new x_acme_int.JiraIntegration();
var inc = new GlideRecord('incident');
inc.addActiveQuery();
inc.addNotNullQuery('x_acme_int_jira_key');
inc.query();
while (inc.next())
    jira.syncStatus(inc);
