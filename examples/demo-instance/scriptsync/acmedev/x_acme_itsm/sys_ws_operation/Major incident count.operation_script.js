(function process(/*RESTAPIRequest*/ request, /*RESTAPIResponse*/ response) {

    // GET /api/x_acme_itsm/incidents/major/count: status page widget, P1s in the last 24 hours.
    var utils = new IncidentUtils();
    response.setBody({ last_24h: utils.getRecentMajorIncidentCount() });

})(request, response);
