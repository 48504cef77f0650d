import * as assert from 'node:assert/strict';
import { readAjaxParams, sentAjaxParams } from '../../server/src/text/ajax-params';
import { extractRecord } from '../../server/src/syntax/extract';
import { scriptIncludeFields } from '../../server/src/index/api-documents';
import { buildQuery } from '../../server/src/retrieval/query';
import { contextAt } from '../retrieval/helpers';
import { record } from '../syntax/helpers';

describe('text/ajax-params: the GlideAjax contract as terms', () => {
  it('reads what a client sends and what a Script Include reads, sysparm_name aside', () => {
    const client = "var ga = new GlideAjax('X');\nga.addParam('sysparm_name', 'go');\nga.addParam(\"sysparm_User_Id\", id);\nga.addParam('sysparm_user_id', id);";
    assert.deepEqual(sentAjaxParams(client), ['ajaxparam:sysparm_user_id']);
    assert.deepEqual(readAjaxParams("var id = this.getParameter('sysparm_user_id'); var n = this.getParameter('sysparm_name');"), ['ajaxparam:sysparm_user_id']);
    assert.deepEqual(sentAjaxParams('ga.addParam(name, value);'), [], 'only literal names');
  });

  it("a client-callable Script Include's document carries the parameters it reads, as its parameters", () => {
    const script = "var UserAjax = Class.create();\nUserAjax.prototype = Object.extendsObject(AbstractAjaxProcessor, {\n  getManager: function () { var id = this.getParameter('sysparm_user_id'); return id; },\n  type: 'UserAjax'\n});";
    const [si] = extractRecord(record(script, { table: 'sys_script_include', name: 'UserAjax' }), 'UserAjax.js').scriptIncludes;
    assert.equal(si.body?.[0], 'ajaxparam:sysparm_user_id');
    assert.ok(scriptIncludeFields(si).params.includes('ajaxparam:sysparm_user_id'));
  });

  it('client code asks for the parameters it sends, before or after the cursor; server code does not', () => {
    const src = "function onChange(control, oldValue, newValue) {\n  var ga = new GlideAjax('|');\n  ga.addParam('sysparm_name', 'getManager');\n  ga.addParam('sysparm_user_id', newValue);\n}";
    const q = buildQuery(contextAt(src, { side: 'client', recordType: 'sys_script_client' }));
    assert.ok((q.terms.get('ajaxparam:sysparm_user_id') ?? 0) > 0, JSON.stringify([...q.terms.keys()]));
    const server = buildQuery(contextAt("var x = new |;\nx.addParam('sysparm_user_id', 1);"));
    assert.ok(!server.terms.has('ajaxparam:sysparm_user_id'));
  });
});
