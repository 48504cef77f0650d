// Fix script: before the laptop refresh, list duplicate serial numbers among computers.
var health = new x_acme_cmdb.CMDBHealthUtils();
var dupes = health.findDuplicateSerials('cmdb_ci_computer');
gs.info('Duplicate computer serials (' + dupes.length + '): ' + dupes.join(', '));
