var SoftwareLicenseUtils = Class.create();
SoftwareLicenseUtils.prototype = {
    initialize: function() {
    },

    // Seats left on an entitlement: purchased rights minus active allocations.
    getAvailableSeats: function(entitlementId) {
        var ent = new GlideRecord('alm_entitlement');
        if (!ent.get(entitlementId))
            return 0;
        var ga = new GlideAggregate('alm_entitlement_user');
        ga.addQuery('licensed_by', entitlementId);
        ga.addAggregate('COUNT');
        ga.query();
        var used = ga.next() ? parseInt(ga.getAggregate('COUNT'), 10) : 0;
        return parseInt(ent.getValue('rights'), 10) - used;
    },

    allocateSeat: function(entitlementId, userId) {
        if (this.getAvailableSeats(entitlementId) <= 0)
            return false;
        var alloc = new GlideRecord('alm_entitlement_user');
        alloc.initialize();
        alloc.setValue('licensed_by', entitlementId);
        alloc.setValue('assigned_to', userId);
        return !!alloc.insert();
    },

    // Leavers give their seats back; returns how many were reclaimed.
    reclaimSeatsForUser: function(userId) {
        var alloc = new GlideRecord('alm_entitlement_user');
        alloc.addQuery('assigned_to', userId);
        alloc.query();
        var count = alloc.getRowCount();
        alloc.deleteMultiple();
        return count;
    },

    type: 'SoftwareLicenseUtils'
};
