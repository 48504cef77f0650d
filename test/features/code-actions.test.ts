import * as assert from 'node:assert/strict';
import { CodeAction, TextEdit } from 'vscode-languageserver';
import { codeActions } from '../../server/src/features/code-actions';
import { Fixture, LIBRARY, withFixture } from './helpers';

/** The code actions at `|` as titles, and a way to apply one to the main file's text. */
async function checkCodeActions(fixture: string, check: (actions: CodeAction[], apply: (a: CodeAction) => string, f: Fixture) => void): Promise<void> {
  await withFixture(fixture, async (f) => {
    const actions = await codeActions(f.state, { textDocument: { uri: f.uri }, range: { start: f.position, end: f.position }, context: { diagnostics: [] } });
    const apply = (a: CodeAction) => applyEdits(f.text, a.edit!.changes![f.uri]);
    check(actions, apply, f);
  });
}

function applyEdits(text: string, edits: TextEdit[]): string {
  const lines = text.split('\n');
  const offset = (p: { line: number; character: number }) => lines.slice(0, p.line).reduce((n, l) => n + l.length + 1, 0) + p.character;
  const sorted = [...edits].sort((a, b) => offset(b.range.start) - offset(a.range.start));
  let out = text;
  for (const e of sorted) out = out.slice(0, offset(e.range.start)) + e.newText + out.slice(offset(e.range.end));
  return out;
}

function titled(actions: CodeAction[], prefix: string): CodeAction[] {
  return actions.filter((a) => a.title.startsWith(prefix));
}

describe('features: code actions', function () {
  this.timeout(20_000);

  it('"Use the scoped name" qualifies a cross-scope class written bare', () =>
    checkCodeActions(`${LIBRARY}
//- acme/x_acme_it/business_rules/asset.js
var u = new HRUt|ils();
`, (actions, apply) => {
      const [a] = titled(actions, 'Use the scoped name');
      assert.equal(a?.title, 'Use the scoped name x_acme_hr.HRUtils');
      assert.equal(apply(a), 'var u = new x_acme_hr.HRUtils();\n');
    }));

  it('"Did you mean" offers the closest methods for an unknown one, and replaces the name', () =>
    checkCodeActions(`${LIBRARY}
//- acme/x_acme_hr/business_rules/leave.js
var u = new HRUtils();
u.getMana|gr('typo');
`, (actions, apply) => {
      const fixes = titled(actions, 'Did you mean');
      assert.equal(fixes[0]?.title, 'Did you mean getManager?');
      assert.equal(fixes[0].isPreferred, true);
      assert.ok(fixes.length <= 3);
      assert.equal(apply(fixes[0]), "var u = new HRUtils();\nu.getManager('typo');\n");
    }));

  it('offers no "did you mean" for a name far from every method', () =>
    checkCodeActions(`${LIBRARY}
//- acme/x_acme_hr/business_rules/leave.js
var u = new HRUtils();
u.getManager('a'); u.zzzzzz|zzzzzzzz();
`, (actions) => assert.deepEqual(titled(actions, 'Did you mean'), [])));

  it('offers no "did you mean" on a method that exists', () =>
    checkCodeActions(`${LIBRARY}
//- acme/x_acme_hr/business_rules/leave.js
var u = new HRUtils();
u.getMan|ager('a');
`, (actions) => assert.deepEqual(titled(actions, 'Did you mean'), [])));

  it('offers no scoped name for the same scope or an already qualified name', () =>
    checkCodeActions(`${LIBRARY}
//- acme/x_acme_hr/business_rules/asset.js
var u = new HRUt|ils(); var v = new x_acme_hr.HRBase();
`, (actions) => assert.deepEqual(titled(actions, 'Use the scoped name'), [])));

  it('"Add JSDoc to this method" writes a skeleton from the parameters, indented', () =>
    checkCodeActions(`
//- acme/x_acme_hr/script_includes/LeaveUtils.js
var LeaveUtils = Class.create();
LeaveUtils.prototype = {
    initialize: function() {},
    carryOver: function(employee, y|ear) {
        return 0;
    },
    type: 'LeaveUtils'
};
`, (actions, apply) => {
      const [a] = titled(actions, 'Add JSDoc');
      assert.ok(a, 'the action');
      const out = apply(a);
      assert.ok(out.includes('    /**\n     * Carry over.\n     * @param {*} employee\n     * @param {*} year\n     * @returns {*}\n     */\n    carryOver: function(employee, year) {'), out);
    }));

  it('offers no JSDoc skeleton for a method that has one', () =>
    checkCodeActions(`${LIBRARY}
//- acme/x_acme_hr/script_includes/HRUtils2.js
var HRUtils2 = Class.create();
HRUtils2.prototype = {
    /** Documented. */
    done: function(a) { return |a; },
    type: 'HRUtils2'
};
`, (actions) => assert.deepEqual(titled(actions, 'Add JSDoc'), [])));

  it('"Suggest APIs here" gives the top ranked calls as quick fixes that insert them', () =>
    checkCodeActions(`${LIBRARY}
//- acme/x_acme_hr/business_rules/leave.js
var u = new HRUtils();
var manager = u.|
`, (actions, apply) => {
      const suggestions = titled(actions, 'Suggest APIs here');
      assert.ok(suggestions.length >= 2 && suggestions.length <= 5);
      const titles = suggestions.map((a) => a.title);
      assert.ok(titles.includes('Suggest APIs here: getManager(userId)'), titles.join(' | '));
      const pick = suggestions.find((a) => a.title.endsWith('getManager(userId)'))!;
      assert.equal(apply(pick), `var u = new HRUtils();\nvar manager = u.getManager(userId)\n`);
    }));

  it('"Insert GlideAjax call" in a client script inserts the pattern for a client-callable Script Include', () =>
    checkCodeActions(`${LIBRARY}
//- acme/x_acme_hr/client_scripts/onload.js
function onLoad() {
    |
}
`, (actions, apply) => {
      const [a] = titled(actions, 'Insert GlideAjax call');
      assert.match(a?.title ?? '', /^Insert GlideAjax call to x_acme_hr\.HRAjax/);
      const out = apply(a);
      assert.match(out, /\n    var ga = new GlideAjax\('x_acme_hr\.HRAjax'\);\n    ga\.addParam\('sysparm_name', '\w+'\);\n    ga\.getXMLAnswer\(function\(answer\) \{\n/);
    }));

  it('offers no GlideAjax call on the server', () =>
    checkCodeActions(`${LIBRARY}
//- acme/x_acme_hr/business_rules/leave.js
var x = |
`, (actions) => assert.deepEqual(titled(actions, 'Insert GlideAjax call'), [])));
});
