(function executeRule(current, previous /*null when async*/) {

    // On hold - awaiting caller stops the resolution clock; it restarts when the caller replies.
    if (current.state.changesTo(3) && current.getValue('hold_reason') == '1') {
        var slas = new SLAUtils();
        slas.pauseAll(current.getUniqueValue(), 'Awaiting caller');
    }

})(current, previous);
