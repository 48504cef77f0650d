// Scripted REST resource: POST /api/x_acme_int/workday/worker
// Workday pushes hire and change events here; one worker per call.
(function process(/*RESTAPIRequest*/ request, /*RESTAPIResponse*/ response) {

    var worker = request.body.data;
    if (!worker || !worker.employeeID) {
        response.setStatus(400);
        response.setBody({ error: 'employeeID is required' });
        return;
    }
    var sync = new WorkdaySyncUtils();
    var userId = sync.upsertUser(worker);
    response.setStatus(200);
    response.setBody({ sys_id: userId });

})(request, response);
