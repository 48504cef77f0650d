// Scheduled job, nightly 01:30: workers changed in Workday since yesterday.
var since = DateMath.addDays(new GlideDateTime(), -1);
var synced = new WorkdaySyncUtils().syncWorkers(since.getLocalDate().getValue());
if (synced < 0)
    gs.error('Workday sync failed; see x_acme_int_call_log');
else
    gs.info('Workday sync: ' + synced + ' workers updated');
