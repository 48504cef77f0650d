/**
 * Client-callable lookups for the incident form (caller VIP flag, open incident
 * count, default assignment group for a category). Call through GlideAjax with
 * sysparm_name set to the method.
 */
var IncidentAjax = Class.create();
IncidentAjax.prototype = Object.extendsObject(global.AbstractAjaxProcessor, {

    /**
     * @returns {string} 'true' when the user in sysparm_caller is flagged VIP
     */
    isCallerVIP: function() {
        var user = new GlideRecord('sys_user');
        if (!user.get(this.getParameter('sysparm_caller')))
            return 'false';
        return String(user.getValue('vip') == '1');
    },

    /**
     * @returns {string} number of active incidents the caller in sysparm_caller already has open
     */
    getOpenIncidentCount: function() {
        var ga = new GlideAggregate('incident');
        ga.addActiveQuery();
        ga.addQuery('caller_id', this.getParameter('sysparm_caller'));
        ga.addAggregate('COUNT');
        ga.query();
        return ga.next() ? ga.getAggregate('COUNT') : '0';
    },

    /**
     * Looks up the routing table for a category/subcategory pair.
     * @returns {string} JSON {"sys_id": ..., "name": ...} of the assignment group
     */
    getAssignmentGroupForCategory: function() {
        var rule = new GlideRecord('x_acme_itsm_routing_rule');
        rule.addQuery('category', this.getParameter('sysparm_category'));
        rule.addQuery('subcategory', this.getParameter('sysparm_subcategory'));
        rule.setLimit(1);
        rule.query();
        if (!rule.next())
            return '';
        return JSON.stringify({
            sys_id: rule.getValue('assignment_group'),
            name: rule.getDisplayValue('assignment_group')
        });
    },

    type: 'IncidentAjax'
});
