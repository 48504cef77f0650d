// Transform map "Workday users" onBefore script: clean the phone and resolve the manager by name.
(function runTransformScript(source, map, log, target /*undefined onStart*/) {

    var importUtils = new ImportSetUtils();
    target.mobile_phone = importUtils.normalisePhone(source.u_mobile, '44');
    target.manager = importUtils.resolveReference('sys_user', source.u_manager_name);

})(source, map, log, target);
