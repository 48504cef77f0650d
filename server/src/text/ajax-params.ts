/**
 * The contract between a client script and the client-callable Script Include it calls through
 * GlideAjax: the client sends `ga.addParam('sysparm_user', ...)` and the Script Include reads
 * `this.getParameter('sysparm_user')`. The same parameter name on both sides is strong evidence
 * that one calls the other, so both sides turn these names into one term, `ajaxparam:<name>`.
 * `sysparm_name` (which method to run) is left out: every GlideAjax call sends it.
 */

const SENT = /\baddParam\s*\(\s*['"]([A-Za-z_$][\w$]{0,79})['"]/g;
const READ = /\bgetParameter\s*\(\s*['"]([A-Za-z_$][\w$]{0,79})['"]/g;

function termsOf(code: string, pattern: RegExp): string[] {
  const out = new Set<string>();
  for (const m of code.matchAll(pattern)) {
    const name = m[1].toLowerCase();
    if (name !== 'sysparm_name') out.add(`ajaxparam:${name}`);
  }
  return [...out];
}

/** The parameters client code sends through GlideAjax, as terms. */
export function sentAjaxParams(code: string): string[] {
  return termsOf(code, SENT);
}

/** The GlideAjax parameters a Script Include reads, as terms. */
export function readAjaxParams(code: string): string[] {
  return termsOf(code, READ);
}
