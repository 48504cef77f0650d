// ATF "Run Server Side Script" step: the priority matrix agreed with the service desk.
(function(outputs, steps, params, stepResult, assertEqual) {

    assertEqual({ name: 'impact 1, urgency 1 is P1', shouldbe: 1, value: x_acme_itsm.PriorityCalculator.fromImpactUrgency(1, 1) });
    assertEqual({ name: 'impact 2, urgency 3 is P4', shouldbe: 4, value: x_acme_itsm.PriorityCalculator.fromImpactUrgency(2, 3) });
    assertEqual({ name: 'impact 3, urgency 3 is P5', shouldbe: 5, value: x_acme_itsm.PriorityCalculator.fromImpactUrgency(3, 3) });
    return true;

})(outputs, steps, params, stepResult, assertEqual);
