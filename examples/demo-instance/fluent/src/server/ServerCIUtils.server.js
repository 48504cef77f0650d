var ServerCIUtils = Class.create();
ServerCIUtils.prototype = Object.extendsObject(CIUtils, {
    initialize: function() {
        CIUtils.prototype.initialize.call(this, 'cmdb_ci_server');
    },

    // Servers whose last discovery is older than the given number of days.
    getUndiscoveredServers: function(days) {
        var names = [];
        var server = new GlideRecord('cmdb_ci_server');
        server.addQuery('operational_status', 1);
        server.addQuery('last_discovered', '<', gs.daysAgoStart(days));
        server.query();
        while (server.next())
            names.push(server.getValue('name'));
        return names;
    },

    // Total RAM and CPU of the servers that host one application, for capacity reviews.
    getCapacity: function(appId) {
        var ga = new GlideAggregate('cmdb_ci_server');
        ga.addQuery('sys_id', 'IN', this._hostsOf(appId));
        ga.addAggregate('SUM', 'ram');
        ga.addAggregate('SUM', 'cpu_count');
        ga.query();
        if (!ga.next())
            return { ram: 0, cpus: 0 };
        return { ram: parseInt(ga.getAggregate('SUM', 'ram'), 10), cpus: parseInt(ga.getAggregate('SUM', 'cpu_count'), 10) };
    },

    _hostsOf: function(appId) {
        var hosts = [];
        var rel = new GlideRecord('cmdb_rel_ci');
        rel.addQuery('parent', appId);
        rel.addQuery('type.name', 'Runs on::Runs');
        rel.query();
        while (rel.next())
            hosts.push(rel.getValue('child'));
        return hosts.join(',');
    },

    type: 'ServerCIUtils'
});
