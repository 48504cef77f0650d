// Service Desk split into L1 and L2: copy everyone from the old group into L1.
var groups = new AcmeGroupUtils();
var oldGroup = new GlideRecord('sys_user_group');
oldGroup.get('name', 'Service Desk');
var l1 = new GlideRecord('sys_user_group');
l1.get('name', 'Service Desk L1');
var members = groups.getMembers(oldGroup.getUniqueValue());
for (var i = 0; i < members.length; i++)
    groups.addMember(l1.getUniqueValue(), members[i]);
gs.info('Copied ' + members.length + ' members to Service Desk L1');
