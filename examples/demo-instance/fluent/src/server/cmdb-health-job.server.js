// Weekly CMDB health: stale servers, duplicate serial numbers, sent to the configuration managers.
var health = new CMDBHealthUtils();
var lines = [];
var classes = ['cmdb_ci_server', 'cmdb_ci_computer', 'cmdb_ci_netgear'];
for (var i = 0; i < classes.length; i++) {
    lines.push(classes[i] + ': ' + health.countStale(classes[i], 30) + ' stale, duplicates: ' + health.findDuplicateSerials(classes[i]).join(', '));
}
var notDiscovered = new ServerCIUtils().getUndiscoveredServers(14);
lines.push('Servers not discovered for 14 days: ' + notDiscovered.length);
new global.EmailNotificationUtils().sendDirectEmail('cmdb-managers@acme.example', 'CMDB weekly health', lines.join('\n'));
