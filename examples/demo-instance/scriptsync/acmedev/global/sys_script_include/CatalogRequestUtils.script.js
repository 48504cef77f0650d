/**
 * Service catalog helpers: requested items (sc_req_item), their variables and
 * their parent requests (sc_request).
 */
var CatalogRequestUtils = Class.create();
CatalogRequestUtils.prototype = {
    initialize: function() {
    },

    /**
     * Reads every catalog variable of a requested item into a plain object.
     * @param {GlideRecord} ritmGr the sc_req_item
     * @returns {Object} variable name -> value
     */
    getVariables: function(ritmGr) {
        var result = {};
        for (var name in ritmGr.variables)
            result[name] = String(ritmGr.variables[name]);
        return result;
    },

    /**
     * Orders a catalog item on behalf of a user, as the onboarding and offboarding flows do.
     * @param {string} catItemId sys_id of the sc_cat_item
     * @param {string} requestedFor sys_id of the user
     * @param {Object} variables variable name -> value
     * @returns {string} number of the new sc_request
     */
    orderItem: function(catItemId, requestedFor, variables) {
        var cart = new sn_sc.CartJS();
        var item = { sysparm_id: catItemId, sysparm_quantity: '1', variables: variables || {} };
        cart.addToCart(item);
        cart.setRequestedFor(requestedFor);
        var result = cart.checkoutCart();
        return result.request_number;
    },

    /**
     * @param {string} requestId sys_id of the sc_request
     * @returns {Array} numbers of its requested items that are still open
     */
    getOpenItems: function(requestId) {
        var items = [];
        var ritm = new GlideRecord('sc_req_item');
        ritm.addQuery('request', requestId);
        ritm.addActiveQuery();
        ritm.query();
        while (ritm.next())
            items.push(ritm.getValue('number'));
        return items;
    },

    /**
     * @param {GlideRecord} ritmGr the sc_req_item
     * @param {string} stage stage value such as 'fulfillment' or 'delivery'
     */
    setStage: function(ritmGr, stage) {
        ritmGr.setValue('stage', stage);
        ritmGr.update();
    },

    type: 'CatalogRequestUtils'
};
