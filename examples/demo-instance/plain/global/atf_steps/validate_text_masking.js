// ATF "Run Server Side Script" step: card numbers typed in a description are masked.
(function(outputs, steps, params, stepResult, assertEqual) {

    var sanitizer = new TextSanitizer();
    var masked = sanitizer.maskSensitive('card 4111 1111 1111 1111 declined');
    assertEqual({ name: 'card number masked', shouldbe: 'card [card removed] declined', value: masked });
    assertEqual({ name: 'html stripped', shouldbe: 'Hello', value: sanitizer.stripHtml('<p>Hello</p>') });
    return true;

})(outputs, steps, params, stepResult, assertEqual);
