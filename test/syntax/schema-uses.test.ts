import * as assert from 'node:assert';
import { extractRecord } from '../../server/src/syntax/extract';
import { encodedQueryFields } from '../../server/src/platform/tables';
import { lines, record } from './helpers';

function uses(script: string, over = {}): string[] {
  return extractRecord(record(script, { table: 'sys_script', name: 'On assign', collection: 'incident', ...over }), 'br.js').schemaUses ?? [];
}

describe('syntax: tables, fields and properties the code names', () => {
  it('a GlideRecord variable names its table, and its field-taking calls and field reads name fields', () => {
    const got = uses(lines(
      "var gr = new GlideRecord('problem');",
      "gr.addQuery('active', true);",
      "gr.orderByDesc('opened_at');",
      'gr.query();',
      'while (gr.next()) { gs.info(gr.number + gr.short_description.getDisplayValue()); gr.state = 4; }',
    ));
    assert.deepStrictEqual(got, ['problem', 'problem.active', 'problem.opened_at', 'problem.number', 'problem.short_description', 'problem.state']);
  });

  it("current and previous name fields of the record's own table; without one they name nothing", () => {
    const script = "if (current.priority.changes() && previous.state == 2) current.setValue('assigned_to', '');";
    assert.deepStrictEqual(uses(script), ['incident.priority', 'incident.state', 'incident.assigned_to']);
    assert.deepStrictEqual(uses(script, { collection: undefined }), []);
  });

  it('encoded queries name the field of each term; properties are named as such', () => {
    const got = uses(lines(
      "var gr = new GlideRecord('task');",
      "gr.addEncodedQuery('active=true^priority<=2^ORDERBYDESCsys_created_on^NQstate=1');",
      "var on = gs.getProperty('x_acme.feature.enabled', 'false');",
    ));
    assert.deepStrictEqual(got, ['task', 'task.active', 'task.priority', 'task.sys_created_on', 'task.state', 'property:x_acme.feature.enabled']);
    assert.deepStrictEqual(encodedQueryFields('caller_id=javascript:gs.getUserID()^ORopened_by.name=x^GROUPBYcategory'), ['caller_id', 'opened_by', 'category']);
  });

  it('g_form names fields of a client script table; a reassigned variable stops naming its old table', () => {
    const client = uses("g_form.setMandatory('close_notes', true); var v = g_form.getValue('state');", { table: 'sys_script_client', side: 'client' });
    assert.deepStrictEqual(client, ['incident.close_notes', 'incident.state']);
    const moved = uses(lines("var gr = new GlideRecord('problem');", 'gr = makeRecord();', "gr.addQuery('x', 1);"));
    assert.deepStrictEqual(moved, ['problem']);
  });
});
