// Fix script: incidents still assigned to the retired "Desktop Support EMEA" group move to IT Field Services.
var oldGroup = new GlideRecord('sys_user_group');
oldGroup.get('name', 'Desktop Support EMEA');
var newGroup = new GlideRecord('sys_user_group');
newGroup.get('name', 'IT Field Services');

var taskUtils = new x_acme_itsm.BaseTaskUtils('incident');
var inc = new GlideRecord('incident');
inc.addActiveQuery();
inc.addQuery('assignment_group', oldGroup.getUniqueValue());
inc.query();
while (inc.next())
    taskUtils.reassign(inc, newGroup.getUniqueValue(), 'Desktop Support EMEA was retired');
