// Business rule: incident, before insert/update, when priority changes.
// Resolution target in working hours from the priority, on the Acme business calendar.
(function executeRule(current, previous /*null when async*/) {

    var targetHours = { '1': 4, '2': 8, '3': 24, '4': 40, '5': 80 };
    if (current.operation() != 'insert' && !current.priority.changes())
        return;
    var calendar = new WorkingDaysCalculator();
    var due = calendar.addWorkingHours(current.getValue('opened_at'), targetHours[current.getValue('priority')] || 40);
    current.setValue('due_date', due);

})(current, previous);
