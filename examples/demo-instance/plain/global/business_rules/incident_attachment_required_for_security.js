// Business rule: incident, before update, category = security.
// Security incidents need the evidence export (.zip) attached before they can be resolved.
(function executeRule(current, previous /*null when async*/) {

    if (current.getValue('category') != 'security' || !current.state.changesTo(6))
        return;
    if (!new AcmeAttachmentUtils().hasFileOfType('incident', current.getUniqueValue(), 'zip')) {
        gs.addErrorMessage(gs.getMessage('Attach the evidence export (.zip) before resolving a security incident'));
        current.setAbortAction(true);
    }

})(current, previous);
