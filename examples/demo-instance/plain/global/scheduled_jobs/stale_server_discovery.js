// Scheduled job, daily: servers that discovery has not seen for a week get a task for the server team.
var servers = new x_acme_cmdb.ServerCIUtils().getUndiscoveredServers(7);
if (servers.length > 0) {
    var task = new GlideRecord('sc_task');
    task.initialize();
    task.setValue('short_description', servers.length + ' servers not discovered for 7 days');
    task.setValue('description', servers.join('\n'));
    task.setValue('assignment_group', gs.getProperty('acme.server_team_group'));
    task.insert();
}
