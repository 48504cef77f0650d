// Weekly: breached SLAs of the week per assignment group, posted as a work note on each incident.
var inc = new GlideRecord('incident');
inc.addQuery('sys_updated_on', '>=', gs.daysAgoStart(7));
inc.query();
var slas = new SLAUtils();
while (inc.next()) {
    var breached = slas.getBreachedSLAs(inc.getUniqueValue());
    if (breached.length)
        new x_acme_itsm.BaseTaskUtils('incident').addWorkNote(inc, 'Breached this week: ' + breached.join(', '));
}
