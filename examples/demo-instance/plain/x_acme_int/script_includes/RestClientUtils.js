/**
 * Thin wrapper over sn_ws.RESTMessageV2 with JSON bodies, a retry on 429/503 and
 * logging of every failed call to x_acme_int_call_log.
 *
 * @example
 * var client = new x_acme_int.RestClientUtils('Workday HCM');
 * var res = client.get('/workers', { updated_since: '2026-03-01' });
 */
var RestClientUtils = Class.create();
RestClientUtils.prototype = {
    /**
     * @param {string} restMessageName name of the sys_rest_message to use for credentials and base URL
     */
    initialize: function(restMessageName) {
        this.restMessageName = restMessageName;
        this.maxAttempts = parseInt(gs.getProperty('x_acme_int.rest.max_attempts', '3'), 10);
    },

    /**
     * @param {string} path path appended to the endpoint
     * @param {Object} query query parameters
     * @returns {Object} {status, body} with body parsed from JSON
     */
    get: function(path, query) {
        var request = this._buildRequest('get', path);
        for (var key in query)
            request.setQueryParameter(key, query[key]);
        return this._execute(request);
    },

    /**
     * @param {string} path path appended to the endpoint
     * @param {Object} payload serialised as the JSON request body
     * @returns {Object} {status, body}
     */
    post: function(path, payload) {
        var request = this._buildRequest('post', path);
        request.setRequestBody(JSON.stringify(payload));
        return this._execute(request);
    },

    _buildRequest: function(method, path) {
        var request = new sn_ws.RESTMessageV2(this.restMessageName, 'Default ' + method.toUpperCase());
        request.setHttpMethod(method);
        request.setEndpoint(request.getEndpoint() + path);
        request.setRequestHeader('Accept', 'application/json');
        request.setRequestHeader('Content-Type', 'application/json');
        return request;
    },

    // Retries throttled or unavailable responses with a short back-off.
    _execute: function(request) {
        var response, status;
        for (var attempt = 1; attempt <= this.maxAttempts; attempt++) {
            response = request.execute();
            status = response.getStatusCode();
            if (status != 429 && status != 503)
                break;
            gs.sleep(1000 * attempt);
        }
        if (status >= 400)
            this._logFailure(request, response);
        var body = {};
        try {
            body = JSON.parse(response.getBody() || '{}');
        } catch (e) {
            body = { raw: response.getBody() };
        }
        return { status: status, body: body };
    },

    _logFailure: function(request, response) {
        var log = new GlideRecord('x_acme_int_call_log');
        log.initialize();
        log.setValue('rest_message', this.restMessageName);
        log.setValue('endpoint', request.getEndpoint());
        log.setValue('status', response.getStatusCode());
        log.setValue('error', response.getErrorMessage());
        log.insert();
    },

    type: 'RestClientUtils'
};
