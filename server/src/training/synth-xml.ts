/**
 * Renders one record the way ServiceNow source control writes it: an XML declaration glued to
 * `<record_update table="...">`, one element per field in alphabetical order, empty fields as
 * self-closing tags, scripts in CDATA. Pure string work, no I/O.
 */

/** A field's value: plain text, a script (written as CDATA), or a reference with attributes. */
export type FieldValue =
  | string
  | { cdata: string }
  | { value: string; attrs: readonly (readonly [string, string])[] };

export function escapeXmlText(text: string): string {
  return text.replace(/[&<>]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : '&gt;'));
}

export function escapeXmlAttr(text: string): string {
  return escapeXmlText(text).replace(/"/g, '&quot;');
}

/**
 * A CDATA section holding `text` exactly. `]]>` cannot appear inside one, so it is split
 * between two sections (`]]` ends the first, `>` starts the second), which is what XML writers
 * do and what a reader must join back.
 */
export function cdata(text: string): string {
  return `<![CDATA[${text.split(']]>').join(']]]]><![CDATA[>')}]]>`;
}

function renderField(name: string, value: FieldValue): string {
  if (typeof value === 'string') {
    return value === '' ? `<${name}/>` : `<${name}>${escapeXmlText(value)}</${name}>`;
  }
  if ('cdata' in value) {
    return value.cdata === '' ? `<${name}/>` : `<${name}>${cdata(value.cdata)}</${name}>`;
  }
  const attrs = value.attrs.map(([k, v]) => ` ${k}="${escapeXmlAttr(v)}"`).join('');
  return value.value === '' ? `<${name}${attrs}/>` : `<${name}${attrs}>${escapeXmlText(value.value)}</${name}>`;
}

/** One `<record_update>` file with a single record; fields are sorted by name, as the platform does. */
export function renderRecordUpdate(table: string, fields: Record<string, FieldValue>): string {
  const names = Object.keys(fields).sort();
  const lines = [`<?xml version="1.0" encoding="UTF-8"?><record_update table="${escapeXmlAttr(table)}">`];
  lines.push(`    <${table} action="INSERT_OR_UPDATE">`);
  for (const name of names) lines.push(`        ${renderField(name, fields[name])}`);
  lines.push(`    </${table}>`);
  lines.push('</record_update>');
  return lines.join('\n') + '\n';
}
