// Every morning: P1/P2 incidents whose resolution SLA is past 75%, mailed to the service desk leads.
var slaUtils = new SLAUtils(75);
var atRisk = [];
var inc = new GlideRecord('incident');
inc.addActiveQuery();
inc.addQuery('priority', 'IN', '1,2');
inc.query();
while (inc.next()) {
    if (slaUtils.isAtRisk(inc.getUniqueValue()))
        atRisk.push(inc.getValue('number') + ' (' + slaUtils.getTimeLeft(inc.getUniqueValue()) + ' left)');
}
if (atRisk.length)
    new global.EmailNotificationUtils().sendDirectEmail('servicedesk-leads@acme.example', 'Incidents at risk of SLA breach', atRisk.join('\n'));
