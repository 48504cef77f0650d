// Scheduled job, last working day of the month: remind requesters of requests open for more than 20 days.
var today = new GlideDateTime();
var cutoff = DateMath.addBusinessDays(today, -20);
var req = new GlideRecord('sc_request');
req.addActiveQuery();
req.addQuery('opened_at', '<', cutoff);
req.query();
var catalog = new CatalogRequestUtils();
var notify = new EmailNotificationUtils();
while (req.next()) {
    var openItems = catalog.getOpenItems(req.getUniqueValue());
    notify.queueEvent('sc_request.still_open', req, req.getValue('requested_for'), openItems.join(', '));
}
