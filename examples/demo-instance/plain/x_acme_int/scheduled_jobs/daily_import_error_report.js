// Scheduled job, daily 07:00: yesterday's import sets with transform errors, to the integration team.
var set = new GlideRecord('sys_import_set');
set.addQuery('sys_created_on', '>=', gs.daysAgoStart(1));
set.query();
var importUtils = new ImportSetUtils();
var lines = [];
while (set.next()) {
    var errors = importUtils.getErrorRows(set.getUniqueValue());
    if (errors.length)
        lines.push(set.getValue('number') + ' (' + set.getValue('table_name') + '): ' + errors.length + ' errors');
}
if (lines.length)
    new global.EmailNotificationUtils().sendDirectEmail('integrations@acme.example', 'Import errors', lines.join('\n'));
