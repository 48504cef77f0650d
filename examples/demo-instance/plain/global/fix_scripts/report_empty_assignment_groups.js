// Fix script: list assignment groups with no active member before the group clean-up.
var groupUtils = new AcmeGroupUtils();
var empty = groupUtils.findEmptyGroups();
gs.info(empty.length + ' groups without active members:\n' + empty.join('\n'));
