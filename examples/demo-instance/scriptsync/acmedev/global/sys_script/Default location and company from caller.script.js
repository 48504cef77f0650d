(function executeRule(current, previous /*null when async*/) {

    // New incidents inherit the caller's location and company so reports can group by site.
    if (current.caller_id.nil())
        return;
    var org = new AcmeUserUtils().getOrgInfo(current.getValue('caller_id'));
    if (!org)
        return;
    if (current.location.nil())
        current.setValue('location', org.location);
    if (current.company.nil())
        current.setValue('company', org.company);

})(current, previous);
