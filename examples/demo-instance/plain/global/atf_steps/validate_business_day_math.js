// ATF "Run Server Side Script" step: business days skip weekends.
(function(outputs, steps, params, stepResult, assertEqual) {

    // Friday 2026-03-06 plus one business day is Monday 2026-03-09.
    var friday = new GlideDateTime('2026-03-06 09:00:00');
    var next = DateMath.addBusinessDays(friday, 1);
    assertEqual({ name: 'Friday + 1 business day', shouldbe: '2026-03-09', value: next.getLocalDate().getValue() });
    assertEqual({ name: 'days between', shouldbe: 3, value: DateMath.daysBetween(friday, next) });
    return true;

})(outputs, steps, params, stepResult, assertEqual);
