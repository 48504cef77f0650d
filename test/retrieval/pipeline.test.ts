import * as assert from 'node:assert/strict';
import { promises as fs } from 'fs';
import * as path from 'path';
import { buildQuery } from '../../server/src/retrieval/query';
import { KnowledgeGraphCache } from '../../server/src/index/knowledge-graph';
import { RetrievalPipeline } from '../../server/src/retrieval/pipeline';
import { RetrievalIndex } from '../../server/src/retrieval/retrieval-index';
import { joinSnapshot, splitSnapshot } from '../../server/src/retrieval/retrieval-store';
import { CursorContext } from '../../server/src/retrieval/types';
import { contextAt, Fixture, indexFixture } from './helpers';

const si = (name: string, body: string, doc = '') => `${doc}var ${name} = Class.create();\n${name}.prototype = {\n    initialize: function() {},\n${body}\n    type: '${name}'\n};\n`;

const FILES: Record<string, string> = {
  'global/script_includes/IncidentUtils.js': si(
    'IncidentUtils',
    `    /** Closes an incident and its child tasks. @param {string} sysId */
    closeIncident: function(sysId) { var gr = new GlideRecord('incident'); gr.get(sysId); gr.setValue('state', 7); gr.update(); },
    getOpenIncidentsForCaller: function(callerId) { var gr = new GlideRecord('incident'); gr.addQuery('caller_id', callerId); gr.query(); return gr; },
    _audit: function() {},`,
    '/** Incident helpers: closing, reopening and listing incidents. */\n',
  ),
  'global/script_includes/ChangeUtils.js': si(
    'ChangeUtils',
    `    approveChange: function(changeId) { var gr = new GlideRecord('change_request'); gr.get(changeId); gr.setValue('approval', 'approved'); gr.update(); },
    getBlackoutWindows: function() { return new GlideRecord('cmn_schedule_blackout'); },`,
    '/** Change request approvals and blackout windows. */\n',
  ),
  'global/script_includes/UserLookup.js': si('UserLookup', `    getManager: function(userId) { var u = new GlideRecord('sys_user'); u.get(userId); return u.getValue('manager'); },`),
  'global/script_includes/getGroupMembers.js': `function getGroupMembers(groupId) { var gr = new GlideRecord('sys_user_grmember'); gr.addQuery('group', groupId); gr.query(); return gr; }\n`,
  'x_acme_hr/update/sys_script_include_0001.xml': `<?xml version="1.0" encoding="UTF-8"?><record_update table="sys_script_include"><sys_script_include action="INSERT_OR_UPDATE"><access>package_private</access><active>true</active><api_name>x_acme_hr.HRPrivateUtils</api_name><client_callable>false</client_callable><name>HRPrivateUtils</name><script><![CDATA[${si('HRPrivateUtils', `    findCase: function(id) { return new GlideRecord('sn_hr_core_case'); },`)}]]></script></sys_script_include></record_update>`,
  'x_acme_hr/script_includes/HRAjax.js': `var HRAjax = Class.create();\nHRAjax.prototype = Object.extendsObject(global.AbstractAjaxProcessor, {\n    getManagerName: function() { return ''; },\n    type: 'HRAjax'\n});\n`,
  'global/business_rules/close_children.js': `(function executeRule(current, previous) {\n    // close the incident when its problem is resolved\n    var inc = new IncidentUtils();\n    inc.closeIncident(current.getUniqueValue());\n})(current, previous);\n`,
  'global/business_rules/approve.js': `(function executeRule(current, previous) {\n    var cu = new ChangeUtils();\n    cu.approveChange(current.change_request);\n})(current, previous);\n`,
};

describe('retrieval/pipeline', () => {
  let fx: Fixture;
  before(async () => {
    fx = await indexFixture(FILES);
  });
  after(async () => fx.dispose());

  const rank = (ctx: CursorContext, extra: Partial<Parameters<Fixture['pipeline']['rank']>[0]> = {}) => fx.pipeline.rank({ context: ctx, ...extra }).candidates;

  it('ranks the Script Include whose tables and words the code around the cursor uses first', () => {
    const ctx = contextAt(`(function executeRule(current, previous) {\n  // close the incident and its child tasks\n  var gr = new GlideRecord('incident');\n  var helper = new |\n})(current, previous);`);
    assert.equal(ctx.kind, 'new');
    assert.equal(rank(ctx)[0].name, 'IncidentUtils');
    const change = contextAt(`// approve the change request unless a blackout window applies\nvar c = new GlideRecord('change_request');\nvar x = new |`);
    assert.equal(rank(change)[0].name, 'ChangeUtils');
  });

  it('predicts the method with the Script Include', () => {
    const ctx = contextAt(`// close the incident when the problem is resolved\nvar u = new |`);
    const top = rank(ctx).find((c) => c.name === 'IncidentUtils');
    assert.equal(top?.method, 'closeIncident');
    assert.ok(!top?.methods?.slice(0, 2).includes('_audit'), 'private methods rank last');
  });

  it('after new, scores a classless function lower than at a bare position, but never hides it', () => {
    const code = (hole: string) => `// members of the group\nvar members = ${hole}|`;
    const afterNew = rank(contextAt(code('new '))).find((c) => c.name === 'getGroupMembers');
    const bare = rank(contextAt(code(''))).find((c) => c.name === 'getGroupMembers');
    assert.ok(afterNew, 'platform code news plain functions too: shape is evidence, not a filter');
    assert.ok(bare);
    assert.ok(afterNew.score < bare.score, `${afterNew.score} vs ${bare.score}`);
  });

  it('prunes by the knowledge graph: other scopes see only public Script Includes, client code only client-callable ones', () => {
    const fromGlobal = rank(contextAt(`var x = new |`)).map((c) => c.name);
    assert.ok(!fromGlobal.includes('HRPrivateUtils'), 'package-private of another scope');
    const fromHr = rank(contextAt(`var x = new |`, { scope: 'x_acme_hr' })).map((c) => c.name);
    assert.ok(fromHr.includes('HRPrivateUtils'), 'its own scope sees it');
    const ajax = rank(contextAt(`var ga = new GlideAjax('|`, { side: 'client', recordType: 'sys_script_client' })).map((c) => c.name);
    assert.deepEqual(ajax, ['HRAjax']);
  });

  it('restricts new scope. to that scope and honours what is typed', () => {
    const scoped = rank(contextAt(`var x = new x_acme_hr.|`, { scope: 'x_acme_hr' })).map((c) => c.name);
    assert.ok(scoped.length > 0 && scoped.every((n) => n.startsWith('HR')));
    const typed = rank(contextAt(`var x = new Cha|`)).map((c) => c.name);
    assert.deepEqual(typed, ['ChangeUtils']);
  });

  it('lists the receiver\'s methods after x., public first', () => {
    const methods = rank(contextAt(`var u = new IncidentUtils();\nu.|`)).map((c) => c.method);
    assert.deepEqual(methods.slice(0, 2).sort(), ['closeIncident', 'getOpenIncidentsForCaller']);
    assert.equal(methods[methods.length - 1], '_audit');
  });

  it('leaves out the Script Includes and usage examples of excluded files', () => {
    const ctx = contextAt(`// close the incident\nvar inc = new |`);
    const excluded = new Set(['global/script_includes/IncidentUtils.js']);
    assert.ok(!rank(ctx, { excludePaths: excluded }).some((c) => c.name === 'IncidentUtils'));
    const counts = fx.retrieval.usageCounts('IncidentUtils', fx.retrieval.excludedSites(new Set(['global/business_rules/close_children.js'])));
    assert.equal(counts?.total ?? 0, 0);
  });

  it('never puts the typed fragment into the query', () => {
    const ctx = contextAt(`var gr = new GlideRecord('incident');\nvar u = new Zebr|`);
    assert.equal(ctx.typed, 'Zebr');
    const terms = [...buildQuery(ctx).terms.keys()];
    assert.ok(terms.includes('incident'));
    for (const term of terms) assert.ok(!term.includes('zebr'), term);
  });

  it('follows file changes: a new Script Include is found, a deleted one is gone', async () => {
    const rel = 'global/script_includes/ProblemUtils.js';
    await fs.writeFile(path.join(fx.root, rel), si('ProblemUtils', `    createKnownError: function(p) { return new GlideRecord('problem'); },`));
    await fx.indexer.applyChanges([{ kind: 'created', path: rel }]);
    const ctx = contextAt(`// raise a known error for the problem\nvar p = new GlideRecord('problem');\nvar pu = new |`);
    assert.equal(rank(ctx)[0].name, 'ProblemUtils', JSON.stringify(rank(ctx).slice(0, 3)));
    await fs.rm(path.join(fx.root, rel));
    await fx.indexer.applyChanges([{ kind: 'deleted', path: rel }]);
    assert.ok(!rank(ctx).some((c) => c.name === 'ProblemUtils'));
  });

  it('restores a snapshot to the same rankings, re-indexing files that changed since', async () => {
    const ctxs = [contextAt(`// close the incident\nvar u = new |`), contextAt(`// approve the change\nvar x = new |`), contextAt(`var m = |`)];
    // Through the form the store writes: JSON beside a file of the BM25 arrays' bytes.
    const { file, chunks } = splitSnapshot(fx.retrieval.snapshot(), 'arrays-test.bin');
    const bytes = Buffer.concat(chunks);
    const joined = joinSnapshot(JSON.parse(JSON.stringify(file)), bytes);
    assert.ok(joined.ok, joined.ok ? '' : joined.error);
    const snap = joined.snap;
    const learned = fx.retrieval.embedder && 'vocabularySize' in fx.retrieval.embedder ? { embedder: fx.retrieval.embedder as never, documents: 0, dim: fx.retrieval.embedder.dim } : undefined;
    const restored = new RetrievalIndex(fx.index);
    assert.equal(restored.restore(snap, learned, fx.retrieval.vectors), true);
    const g = new KnowledgeGraphCache(fx.index);
    const again = new RetrievalPipeline(fx.index, restored, () => g.get());
    for (const ctx of ctxs) {
      assert.deepEqual(
        again.rank({ context: ctx }).candidates.map((c) => c.key),
        fx.pipeline.rank({ context: ctx }).candidates.map((c) => c.key),
      );
    }
    restored.dispose();
    // A snapshot whose options differ does not fit.
    const other = new RetrievalIndex(fx.index, { ...restored.options, usage: false });
    assert.equal(other.restore(snap, learned, fx.retrieval.vectors), false);
  });

  it('refuses a snapshot whose arrays file is missing, cut, altered or described wrongly', () => {
    const original = fx.retrieval.snapshot();
    const { file, chunks } = splitSnapshot(original, 'arrays-test.bin');
    const json = JSON.parse(JSON.stringify(file));
    const bytes = Buffer.concat(chunks);
    const altered = Buffer.from(bytes);
    altered[altered.length >> 1] ^= 1;
    const refusals = [
      joinSnapshot(json, undefined),
      joinSnapshot(json, bytes.subarray(0, bytes.length - 4)),
      joinSnapshot(json, altered),
      joinSnapshot({ ...json, arrayLengths: json.arrayLengths.slice(1) }, bytes),
      joinSnapshot({ ...json, format: 1 }, bytes),
      joinSnapshot(null, bytes),
    ];
    for (const r of refusals) assert.equal(r.ok, false);
    // An unaligned buffer (a view at an odd offset) is read as well as an aligned one.
    const shifted = Buffer.alloc(bytes.length + 1);
    bytes.copy(shifted, 1);
    const fromShifted = joinSnapshot(json, shifted.subarray(1));
    assert.ok(fromShifted.ok);
    assert.deepEqual(fromShifted.ok && [...fromShifted.snap.usage.arrays!.postings], [...original.usage.arrays!.postings]);
  });
  it("builds the pruned sets of the workspace's scopes ahead of the first keystroke in each, and ranks the same with them", async () => {
    const warmed = await indexFixture(FILES);
    const cold = await indexFixture(FILES);
    try {
      const graph = warmed.pipeline.graph();
      let prunes = 0;
      const prune = graph.prune.bind(graph);
      graph.prune = (scope, side) => {
        prunes++;
        return prune(scope, side);
      };
      for (let i = 0; !warmed.pipeline.warm(5); i++) assert.ok(i < 1000, 'the warm-up ends');
      const built = prunes;
      // global and x_acme_hr, each on the server and the client side.
      assert.equal(built, 4);
      const positions = [
        contextAt('var helper = new |', { scope: 'x_acme_hr' }),
        contextAt('// close the incident\nvar helper = new |'),
        contextAt(`var ga = new GlideAjax('|`, { side: 'client', recordType: 'sys_script_client', scope: 'x_acme_hr' }),
      ];
      for (const context of positions) {
        const names = (p: RetrievalPipeline) => p.rank({ context }).candidates.map((c) => `${c.name}:${c.score}`);
        assert.deepEqual(names(warmed.pipeline), names(cold.pipeline));
      }
      assert.equal(prunes, built, 'no keystroke pruned again');
      assert.equal(warmed.pipeline.warm(0), true);
    } finally {
      await warmed.dispose();
      await cold.dispose();
    }
  });
});
