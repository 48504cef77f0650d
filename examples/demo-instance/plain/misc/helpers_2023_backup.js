// copied off the old dev instance before the clone-down, keep until the audit is done
var TextSanitizer = Class.create();
TextSanitizer.prototype = {
    initialize: function() {
    },

    stripHtml: function(text) {
        if (!text)
            return '';
        return String(text).replace(/<[^>]*>/g, '').replace(/&nbsp;/g, ' ').trim();
    },

    // Masks anything that looks like a card number or a national id in free-text fields.
    maskSensitive: function(text) {
        return String(text || '')
            .replace(/\b(?:\d[ -]?){13,16}\b/g, '[card removed]')
            .replace(/\b\d{3}-\d{2}-\d{4}\b/g, '[id removed]');
    },

    truncate: function(text, max) {
        text = String(text || '');
        return text.length <= max ? text : text.substring(0, max - 3) + '...';
    },

    type: 'TextSanitizer'
};
