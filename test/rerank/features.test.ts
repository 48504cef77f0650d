import * as assert from 'node:assert/strict';
import { extractFeatures, FEATURE_COUNT, FEATURE_NAMES } from '../../server/src/rerank/features';
import { contextAt, Fixture, indexFixture } from '../retrieval/helpers';

/** The reranker's input contract: one row per candidate, FEATURE_NAMES in order. */
describe('rerank/features', function () {
  this.timeout(60_000);
  let fx: Fixture;
  before(async () => {
    fx = await indexFixture({
      'si/IncidentUtils.js': "var IncidentUtils = Class.create();\nIncidentUtils.prototype = {\n  /** Closes an incident. */\n  closeIncident: function (sysId) { var gr = new GlideRecord('incident'); gr.get(sysId); gr.state = 7; gr.update(); },\n  type: 'IncidentUtils'\n};\n",
      'si/GroupUtils.js': "var GroupUtils = Class.create();\nGroupUtils.prototype = {\n  getMembers: function (group) { var gr = new GlideRecord('sys_user_grmember'); gr.addQuery('group', group); gr.query(); return gr; },\n  type: 'GroupUtils'\n};\n",
      'rules/close.js': "var u = new IncidentUtils();\nu.closeIncident(current.sys_id);\n",
    });
  });
  after(async () => fx.dispose());

  const column = (name: (typeof FEATURE_NAMES)[number]) => FEATURE_NAMES.indexOf(name);

  it('names are unique and their count is the model width', () => {
    assert.equal(new Set(FEATURE_NAMES).size, FEATURE_NAMES.length);
    assert.equal(FEATURE_COUNT, FEATURE_NAMES.length);
  });

  it('gives one finite row per candidate, in the retrieval order', () => {
    const ctx = contextAt(`var gr = new GlideRecord('incident');\nvar x = new |`);
    const out = fx.pipeline.rank({ context: ctx, includePlatform: true });
    const f = extractFeatures(ctx, out);
    assert.equal(f.length, out.details.length * FEATURE_COUNT);
    assert.ok(f.every((v) => Number.isFinite(v)));
    assert.equal(f[column('fused_inv_rank')], 1, 'the first row is the first candidate');
    const row = (i: number, name: (typeof FEATURE_NAMES)[number]) => f[i * FEATURE_COUNT + column(name)];
    out.details.forEach((d, i) => {
      assert.equal(row(i, 'is_platform'), d.ref.kind === 'platform' ? 1 : 0, d.candidate.key);
      assert.equal(row(i, 'pos_new'), 1);
    });
    const incident = out.details.findIndex((d) => d.candidate.name === 'IncidentUtils');
    const group = out.details.findIndex((d) => d.candidate.name === 'GroupUtils');
    assert.ok(incident >= 0 && group >= 0);
    assert.ok(row(incident, 'table_overlap') > row(group, 'table_overlap'), 'the incident table is what the code works on');
    assert.ok(row(incident, 'popularity_log') > 0, 'it is called in the workspace');
  });

  it('reads the same overlap features from the index as from the documents\' own fields', () => {
    const ctxs = [
      contextAt(`var gr = new GlideRecord('incident');\nvar x = new |`),
      { ...contextAt(`// members of the group\nvar g = new |`), recordName: 'Close incident members' },
      contextAt(`var m = |`),
    ];
    for (const ctx of ctxs) {
      const out = fx.pipeline.rank({ context: ctx, includePlatform: true });
      assert.ok(out.documents && out.details.length > 1);
      const fromIndex = extractFeatures(ctx, out);
      const fromFields = extractFeatures(ctx, { ...out, documents: undefined });
      assert.equal(fromIndex.length, fromFields.length);
      for (let i = 0; i < fromIndex.length; i++) assert.ok(Math.abs(fromIndex[i] - fromFields[i]) < 1e-6, `${FEATURE_NAMES[i % FEATURE_COUNT]} of ${out.details[Math.floor(i / FEATURE_COUNT)].candidate.key}: ${fromIndex[i]} vs ${fromFields[i]}`);
      const overlaps = ['name_overlap', 'methods_overlap', 'tables_field_overlap', 'body_overlap', 'record_name_overlap'] as const;
      if (ctx.recordName) assert.ok(out.details.some((_, r) => fromIndex[r * FEATURE_COUNT + column('record_name_overlap')] > 0), 'some candidate shares the record name');
      // A bare `var m = ` has no words to overlap with; the other two do.
      if (ctx !== ctxs[2]) assert.ok(overlaps.some((name) => out.details.some((_, r) => fromIndex[r * FEATURE_COUNT + column(name)] > 0)), 'the overlaps are not all zero');
    }
  });
});
