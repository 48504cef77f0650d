// Location helpers as a plain object of functions: no state, call them as
// CMDBLocationUtils.getSiteCode(locationId).
var CMDBLocationUtils = {

    // Acme site codes are the first four letters of the building's location name, upper case.
    getSiteCode: function(locationId) {
        var loc = new GlideRecord('cmn_location');
        if (!loc.get(locationId))
            return '';
        return loc.getValue('name').replace(/[^A-Za-z]/g, '').substring(0, 4).toUpperCase();
    },

    // CIs installed at a location, for site decommissioning.
    getCIsAtLocation: function(locationId, ciClass) {
        var ids = [];
        var ci = new GlideRecord(ciClass || 'cmdb_ci_hardware');
        ci.addQuery('location', locationId);
        ci.addQuery('operational_status', '!=', 6);
        ci.query();
        while (ci.next())
            ids.push(ci.getUniqueValue());
        return ids;
    },

    getRegion: function(locationId) {
        var loc = new GlideRecord('cmn_location');
        if (!loc.get(locationId))
            return '';
        return loc.getValue('u_region') || loc.getValue('country');
    }
};
