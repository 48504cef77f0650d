// Approve from the approval form; the comment field is optional for approvals.
var approvals = new AcmeApprovalUtils();
if (approvals.decide(current.getUniqueValue(), 'approved', current.getValue('comments')))
    gs.addInfoMessage(gs.getMessage('Approved'));
else
    gs.addErrorMessage(gs.getMessage('Only the assigned approver can approve'));
action.setRedirectURL(current);
