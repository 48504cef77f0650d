// Business rule: incident, before insert/update.
// Callers paste card numbers into descriptions; mask them before they are stored or emailed.
(function executeRule(current, previous /*null when async*/) {

    var sanitizer = new TextSanitizer();
    if (current.description.changes())
        current.setValue('description', sanitizer.maskSensitive(current.getValue('description')));
    if (current.short_description.changes())
        current.setValue('short_description', sanitizer.truncate(sanitizer.maskSensitive(current.getValue('short_description')), 160));

})(current, previous);
