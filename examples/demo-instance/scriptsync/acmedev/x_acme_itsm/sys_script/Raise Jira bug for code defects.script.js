(function executeRule(current, previous /*null when async*/) {

    // Incidents resolved as a software defect get a Jira bug in the OPS project for the developers.
    if (current.getValue('close_code') == 'Software defect' && current.x_acme_int_jira_key.nil())
        new x_acme_int.JiraIntegration().createIssueFromIncident(current);

})(current, previous);
