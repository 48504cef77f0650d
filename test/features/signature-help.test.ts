import * as assert from 'node:assert/strict';
import { openCallAt, signatureHelp } from '../../server/src/features/signature-help';
import { LIBRARY, withFixture } from './helpers';

/** Asserts the active signature's label and the active parameter's name (or no help at all). */
async function checkSignature(fixture: string, expected: { label: string; active: string } | undefined): Promise<void> {
  await withFixture(fixture, (f) => {
    const help = signatureHelp(f.state, { textDocument: { uri: f.uri }, position: f.position });
    if (!expected) {
      assert.equal(help, null);
      return;
    }
    assert.ok(help, 'signature help');
    const sig = help.signatures[help.activeSignature ?? 0];
    assert.equal(sig.label, expected.label);
    const [s, e] = sig.parameters![help.activeParameter ?? 0].label as [number, number];
    assert.equal(sig.label.slice(s, e).split(/[?:]/)[0], expected.active);
  });
}

describe('features: signature help', function () {
  this.timeout(20_000);

  it('finds the open call and counts top-level commas only', () => {
    const text = "x.m(a, f(b, c), [d, e], 'g, h', ";
    const call = openCallAt(text, text.length);
    assert.deepEqual({ callee: call?.callee, commas: call?.commas, isNew: call?.isNew }, { callee: 'x.m', commas: 4, isNew: false });
    assert.equal(openCallAt('x.m(a) + 1', 10), undefined);
    assert.equal(openCallAt('// x.m(', 7), undefined);
  });

  it('in a constructor call: the initialize parameters', () =>
    checkSignature(`${LIBRARY}
//- acme/x_acme_hr/business_rules/leave.js
var u = new HRUtils(current.sys_id, |
`, { label: 'new HRUtils(userId: string, strict?: boolean)', active: 'strict' }));

  it('in a method call on a variable, second argument', () =>
    checkSignature(`${LIBRARY}
//- acme/x_acme_hr/business_rules/leave.js
var u = new HRUtils();
var days = u.getLeaveBalance(current.sys_id, |);
`, { label: 'getLeaveBalance(userId: string, year: number)', active: 'year' }));

  it('in a chained call on a new instance, first argument', () =>
    checkSignature(`${LIBRARY}
//- acme/x_acme_hr/business_rules/leave.js
var m = new x_acme_hr.HRUtils().getManager(|
`, { label: 'getManager(userId: string): string', active: 'userId' }));

  it('in a classless function call', () =>
    checkSignature(`${LIBRARY}
//- acme/global/business_rules/name.js
var n = formatName('Ada', |
`, { label: 'formatName(first: string, last: string)', active: 'last' }));

  it('in a platform method call, picking the overload that fits', () =>
    checkSignature(`${LIBRARY}
//- acme/global/business_rules/q.js
var gr = new GlideRecord('incident');
gr.addQuery('priority', '<=', |
`, { label: 'addQuery(name: string, operator?: string, value?: any): GlideQueryCondition', active: 'value' }));

  it('on current, a GlideRecord in a business rule, also inside the field-name string', async () => {
    await checkSignature(`${LIBRARY}
//- acme/global/business_rules/q.js
current.setValue('state', |
`, { label: 'setValue(name: string, value: any): void', active: 'value' });
    await checkSignature(`${LIBRARY}
//- acme/global/business_rules/q.js
var gr = new GlideRecord('incident');
gr.getValue('sta|
`, { label: 'getValue(name: string): string', active: 'name' });
  });

  it('in a platform constructor', () =>
    checkSignature(`${LIBRARY}
//- acme/global/business_rules/q.js
var gr = new GlideRecord(|
`, { label: 'new GlideRecord(tableName: string)', active: 'tableName' }));

  it('gives nothing for unknown callees and outside calls', async () => {
    await checkSignature(`${LIBRARY}
//- acme/global/business_rules/q.js
var x = mystery(1, |
`, undefined);
    await checkSignature(`${LIBRARY}
//- acme/global/business_rules/q.js
var x = new HRUtils(); |
`, undefined);
  });
});
