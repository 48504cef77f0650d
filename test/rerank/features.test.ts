import * as assert from 'node:assert/strict';
import { extractFeatures, FEATURE_COUNT, FEATURE_NAMES } from '../../server/src/rerank/features';
import { tokenize } from '../../server/src/text/tokens';
import { contextAt, Fixture, indexFixture } from '../retrieval/helpers';

/** A field's overlap with the query, from the field's own terms: the reference the index must agree with. */
function fieldOverlap(terms: readonly string[], query: ReadonlyMap<string, number>): number {
  const distinct = new Set(terms);
  let hit = 0;
  for (const t of distinct) hit += Math.min(1, query.get(t) ?? 0);
  return distinct.size ? hit / Math.sqrt(distinct.size) : 0;
}

/** The overlap features and the API field each is read from. */
const OVERLAP_FIELDS = [
  ['name_overlap', 'name'],
  ['methods_overlap', 'methods'],
  ['summary_overlap', 'summary'],
  ['params_overlap', 'params'],
  ['tables_field_overlap', 'tables'],
  ['glide_overlap', 'glide'],
  ['parent_overlap', 'parent'],
  ['body_overlap', 'body'],
] as const;

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
      const recordWords = new Set(ctx.recordName ? tokenize(ctx.recordName) : []);
      out.details.forEach((d, r) => {
        const at = (name: (typeof FEATURE_NAMES)[number]) => fromIndex[r * FEATURE_COUNT + column(name)];
        const fields = d.ref.fields;
        for (const [name, field] of OVERLAP_FIELDS) assert.ok(Math.abs(at(name) - fieldOverlap(fields[field], out.query.terms)) < 1e-6, `${name} of ${d.candidate.key}`);
        const held = new Set([...fields.name, ...fields.methods]);
        const share = recordWords.size ? [...recordWords].filter((w) => held.has(w)).length / recordWords.size : 0;
        assert.ok(Math.abs(at('record_name_overlap') - share) < 1e-6, `record_name_overlap of ${d.candidate.key}`);
      });
      const overlaps = ['name_overlap', 'methods_overlap', 'tables_field_overlap', 'body_overlap', 'record_name_overlap'] as const;
      if (ctx.recordName) assert.ok(out.details.some((_, r) => fromIndex[r * FEATURE_COUNT + column('record_name_overlap')] > 0), 'some candidate shares the record name');
      // A bare `var m = ` has no words to overlap with; the other two do.
      if (ctx !== ctxs[2]) assert.ok(overlaps.some((name) => out.details.some((_, r) => fromIndex[r * FEATURE_COUNT + column(name)] > 0)), 'the overlaps are not all zero');
    }
  });
});
