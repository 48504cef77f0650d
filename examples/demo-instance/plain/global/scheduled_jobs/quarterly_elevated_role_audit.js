// Scheduled job, quarterly: security reviews everyone holding an elevated role.
var holders = new RoleCheckUtils().listElevatedRoleHolders();
var mail = new EmailNotificationUtils();
mail.sendDirectEmail('security-team@acme.example', 'Quarterly elevated role review', 'Holders of elevated roles:\n' + holders.join('\n'));
