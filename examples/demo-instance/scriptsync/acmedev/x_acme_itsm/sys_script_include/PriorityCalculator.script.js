// Priority matrix shared by incidents and problems. Stateless, so it is a module
// object rather than a class: call PriorityCalculator.fromImpactUrgency(2, 1).
var PriorityCalculator = (function() {
    // impact x urgency -> priority, as agreed with the service desk in 2024
    var MATRIX = {
        '1-1': 1, '1-2': 2, '1-3': 3,
        '2-1': 2, '2-2': 3, '2-3': 4,
        '3-1': 3, '3-2': 4, '3-3': 5
    };

    function fromImpactUrgency(impact, urgency) {
        return MATRIX[impact + '-' + urgency] || 4;
    }

    // VIP callers and business-critical CIs raise urgency by one step.
    function forIncident(incidentGr) {
        var urgency = parseInt(incidentGr.getValue('urgency'), 10);
        if (incidentGr.caller_id.vip == true || _isCriticalCI(incidentGr.getValue('cmdb_ci')))
            urgency = Math.max(1, urgency - 1);
        return fromImpactUrgency(parseInt(incidentGr.getValue('impact'), 10), urgency);
    }

    function _isCriticalCI(ciId) {
        if (!ciId)
            return false;
        var ci = new GlideRecord('cmdb_ci');
        return ci.get(ciId) && ci.getValue('busines_criticality') == '1 - most critical';
    }

    return {
        fromImpactUrgency: fromImpactUrgency,
        forIncident: forIncident
    };
})();
