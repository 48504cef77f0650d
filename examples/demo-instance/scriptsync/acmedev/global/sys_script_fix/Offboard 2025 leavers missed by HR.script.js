// One-off after the 2025 audit: leavers whose accounts were still active.
// Runs the same access removal as the HR offboarding flow.
var leaver = new GlideRecord('sys_user');
leaver.addActiveQuery();
leaver.addNotNullQuery('u_termination_date');
leaver.addQuery('u_termination_date', '<', '2026-01-01');
leaver.query();
var offboarding = new x_acme_hr.OffboardingUtils();
while (leaver.next()) {
    var result = offboarding.revokeAccess(leaver.getUniqueValue());
    gs.info(leaver.getValue('user_name') + ': removed from ' + result.groups.length + ' groups, ' + result.seats + ' seats reclaimed');
}
