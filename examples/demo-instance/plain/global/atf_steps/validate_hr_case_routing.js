// ATF "Run Server Side Script" step: payroll inquiries are routed to the payroll team.
(function(outputs, steps, params, stepResult, assertEqual) {

    var caseUtils = new x_acme_hr.HRCaseUtils();
    var payrollGroup = new GlideRecord('sys_user_group');
    payrollGroup.get('name', 'HR Payroll');
    assertEqual({ name: 'payroll inquiry group', shouldbe: payrollGroup.getUniqueValue(), value: caseUtils.getGroupForService('payroll_inquiry') });
    outputs.table = 'x_acme_hr_case';
    outputs.record_id = caseUtils.createCase(steps('a1b2c3d4e5f60718293a4b5c6d7e8f90').user, 'payroll_inquiry', 'ATF payroll case');
    return true;

})(outputs, steps, params, stepResult, assertEqual);
