// Scheduled job, weekly: the retention policy keeps incident attachments for two years.
var attachments = new AcmeAttachmentUtils();
var deleted = attachments.purgeOlderThan('incident', 730);
gs.info('Attachment retention: ' + deleted + ' incident attachments deleted');
