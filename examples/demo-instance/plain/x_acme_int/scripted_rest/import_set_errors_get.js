// Scripted REST resource: GET /api/x_acme_int/imports/{import_set}/errors
// The integration dashboard lists rows that failed to transform.
(function process(/*RESTAPIRequest*/ request, /*RESTAPIResponse*/ response) {

    var importUtils = new ImportSetUtils();
    var errors = importUtils.getErrorRows(request.pathParams.import_set);
    response.setBody({ count: errors.length, errors: errors });

})(request, response);
