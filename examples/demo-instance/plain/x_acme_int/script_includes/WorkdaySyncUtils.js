var WorkdaySyncUtils = Class.create();
WorkdaySyncUtils.prototype = Object.extendsObject(x_acme_int.RestClientUtils, {
    initialize: function() {
        x_acme_int.RestClientUtils.prototype.initialize.call(this, 'Workday HCM');
    },

    // Pulls workers changed since the last run and upserts them into sys_user.
    syncWorkers: function(sinceDate) {
        var res = this.get('/workers', { updated_since: sinceDate, limit: 500 });
        if (res.status != 200)
            return -1;
        var workers = res.body.data || [];
        for (var i = 0; i < workers.length; i++)
            this.upsertUser(workers[i]);
        return workers.length;
    },

    // Workday worker JSON -> sys_user, matched on employee_number.
    upsertUser: function(worker) {
        var user = new GlideRecord('sys_user');
        user.addQuery('employee_number', worker.employeeID);
        user.query();
        var isNew = !user.next();
        if (isNew)
            user.initialize();
        user.setValue('employee_number', worker.employeeID);
        user.setValue('first_name', worker.firstName);
        user.setValue('last_name', worker.lastName);
        user.setValue('email', worker.workEmail);
        user.setValue('title', worker.jobTitle);
        user.setValue('department', this._departmentId(worker.costCenter));
        var userId = isNew ? user.insert() : (user.update(), user.getUniqueValue());
        // A hire date in the future means a new joiner: HR wants the onboarding case opened now.
        if (isNew && worker.hireDate)
            new x_acme_hr.OnboardingUtils().startOnboarding(userId, worker.hireDate);
        return userId;
    },

    _departmentId: function(costCenter) {
        var dept = new GlideRecord('cmn_department');
        return dept.get('cost_center.code', costCenter) ? dept.getUniqueValue() : '';
    },

    type: 'WorkdaySyncUtils'
});
