(function process(/*RESTAPIRequest*/ request, /*RESTAPIResponse*/ response) {

    // POST /api/x_acme_itsm/incidents/{number}/resolve  {"close_code": "...", "close_notes": "..."}
    // Used by the monitoring platform when an alert clears.
    var body = request.body.data;
    var incident = new GlideRecord('incident');
    if (!incident.get('number', request.pathParams.number)) {
        response.setStatus(404);
        return;
    }
    new IncidentUtils().resolveIncident(incident, body.close_code, body.close_notes);
    response.setStatus(200);
    response.setBody({ number: incident.getValue('number'), state: incident.getDisplayValue('state') });

})(request, response);
