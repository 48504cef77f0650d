// Business rule: sc_task, after insert.
// Fulfillers need the files the requester attached to the RITM (quotes, screenshots).
(function executeRule(current, previous /*null when async*/) {

    var attachments = new AcmeAttachmentUtils();
    if (attachments.getCount('sc_req_item', current.getValue('request_item')) > 0)
        attachments.copyAll('sc_req_item', current.getValue('request_item'), 'sc_task', current.getUniqueValue());

})(current, previous);
