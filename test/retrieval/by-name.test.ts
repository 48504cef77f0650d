import * as assert from 'node:assert/strict';
import { ApiIndex } from '../../server/src/index/api-index';
import { KnowledgeGraphCache } from '../../server/src/index/knowledge-graph';
import { RetrievalPipeline } from '../../server/src/retrieval/pipeline';
import { RetrievalIndex } from '../../server/src/retrieval/retrieval-index';
import { CursorContext } from '../../server/src/retrieval/types';
import { buildEntry } from '../../server/src/index/extract-pool';
import { SourceRecord } from '../../server/src/model';
import { fitEmbedderInWorker } from '../../server/src/index/embedder-fit';
import { CooccurrenceEmbedder } from '../../server/src/index/embedders';

function si(name: string, scope: string, script: string, over: Partial<SourceRecord> = {}): SourceRecord {
  return { table: 'sys_script_include', name, apiName: `${scope}.${name}`, scope, active: true, side: 'server', field: 'script', script, scriptStart: { line: 0, character: 0 }, layout: 'plain', ...over };
}

function caller(script: string): SourceRecord {
  return { table: 'sys_script', name: 'rule', scope: 'global', active: true, side: 'server', field: 'script', script, scriptStart: { line: 0, character: 0 }, layout: 'plain' };
}

function context(kind: CursorContext['kind'], typed = '', over: Partial<CursorContext> = {}): CursorContext {
  return { kind, typed, replaceStart: 0, replaceEnd: 0, recordType: 'sys_script', side: 'server', scope: 'global', identifiers: [], callsBefore: [], callsAfter: [], strings: [], comments: [], glideApis: [], tables: [], linesBefore: [], suffix: '', ...over };
}

describe('retrieval: ranking by name before retrieval is built', () => {
  const index = new ApiIndex();
  const add = (path: string, records: SourceRecord[]) => index.setFile(buildEntry(path, { layout: 'plain', records, problems: [], includes: [], hash: path }));
  add('a.js', [si('AssetUtils', 'global', "var AssetUtils = Class.create(); AssetUtils.prototype = { type: 'AssetUtils' };")]);
  add('b.js', [si('AuditHelper', 'global', "var AuditHelper = Class.create(); AuditHelper.prototype = { type: 'AuditHelper' };")]);
  add('c.js', [si('addDays', 'global', 'function addDays(d, n) { return d; }')]);
  add('d.js', [si('HiddenUtils', 'x_other', "var HiddenUtils = Class.create(); HiddenUtils.prototype = { type: 'HiddenUtils' };", { access: 'package_private' })]);
  add('e.js', [si('AjaxThing', 'global', "var AjaxThing = Class.create(); AjaxThing.prototype = Object.extendsObject(AbstractAjaxProcessor, { type: 'AjaxThing' });", { clientCallable: true })]);
  add('r.js', [caller('new AuditHelper(); new AuditHelper(); new AssetUtils();')]);
  const retrieval = new RetrievalIndex(index);
  const graph = new KnowledgeGraphCache(index);
  const pipeline = new RetrievalPipeline(index, retrieval, () => graph.get());

  it('offers what can be called here, by the typed prefix and how often it is called', () => {
    assert.equal(retrieval.built, false);
    const out = pipeline.rank({ context: context('new', 'a') });
    assert.deepEqual(out.candidates.map((c) => c.name), ['AuditHelper', 'AssetUtils', 'AjaxThing', 'addDays'], 'classless functions last after new');
    assert.match(out.trace.join('\n'), /not built yet/);
    assert.ok(!pipeline.rank({ context: context('new') }).candidates.some((c) => c.name === 'HiddenUtils'), "another scope's private one");
    const ajax = pipeline.rank({ context: context('glide-ajax', '', { side: 'client' }) });
    assert.deepEqual(ajax.candidates.map((c) => c.name), ['AjaxThing']);
  });

  it('hands over to the full pipeline once retrieval is built', () => {
    retrieval.build();
    const out = pipeline.rank({ context: context('new', 'a') });
    assert.ok(!out.trace.join('\n').includes('not built yet'));
    assert.ok(out.candidates.length > 0);
    retrieval.dispose();
  });
});

describe('retrieval: building in slices with the embedder learned on a worker', function () {
  this.timeout(60_000);

  function helpers(): ApiIndex {
    const index = new ApiIndex();
    for (let i = 0; i < 40; i++) {
      const name = `Helper${i}`;
      index.setFile(buildEntry(`s${i}.js`, { layout: 'plain', records: [si(name, 'global', `var ${name} = Class.create(); ${name}.prototype = { approveRequest${i % 5}: function (gr) { var u = new GlideRecord('sys_user'); u.get(gr.opened_by); }, type: '${name}' };`)], problems: [], includes: [], hash: `s${i}` }));
    }
    index.setFile(buildEntry('r.js', { layout: 'plain', records: [caller('new Helper3().approveRequest3(current); new Helper7();')], problems: [], includes: [], hash: 'r' }));
    return index;
  }

  it("makes the call sites' documents while the embedder is learned, and waits for it before the vectors", async () => {
    const index = helpers();
    const sliced = new RetrievalIndex(index);
    let usageWhileFitting = -1;
    let builtWhileFitting = true;
    const out = await sliced.buildInSlices(undefined, async (corpus, options) => {
      const embedder = CooccurrenceEmbedder.fit(corpus, options);
      // The fit answers only once the build went on without it (or after a second).
      for (let i = 0; i < 1000 && sliced.usageBm25.size === 0; i++) await new Promise((r) => setTimeout(r, 1));
      usageWhileFitting = sliced.usageBm25.size;
      builtWhileFitting = sliced.built;
      return embedder;
    }, 0);
    assert.equal(usageWhileFitting, 2, 'both call sites were indexed before the fit answered');
    assert.equal(builtWhileFitting, false, 'not built before the embedder is in');
    assert.ok(out.fitted, 'the embedder the fit answered is the one learned');
    assert.equal(sliced.built, true);
    assert.ok(sliced.vectors && sliced.vectors.size > 0, 'vectors made with the learned embedder');
    sliced.dispose();
  });

  it('builds the same index as the one-go build, and learns the same embedder in the worker', async () => {
    const index = helpers();
    const once = new RetrievalIndex(index);
    const a = once.build();
    const sliced = new RetrievalIndex(index);
    let fits = 0;
    let pauses = 0;
    const pending = sliced.buildInSlices(undefined, async (corpus, options) => {
      fits++;
      assert.equal(sliced.built, false, 'not built while the embedder is learned');
      const got = await fitEmbedderInWorker(corpus, options);
      assert.ok(got.ok, got.ok ? '' : got.error);
      return got.embedder;
    }, 0);
    // The event loop turns while it builds.
    await new Promise((r) => setImmediate(r)).then(() => pauses++);
    const b = await pending;
    assert.equal(fits, 1);
    assert.ok(pauses > 0);
    assert.equal(sliced.built, true);
    assert.equal(b.fitted?.embedder.id, a.fitted?.embedder.id, 'the worker learns the very same embedder');
    const graph = new KnowledgeGraphCache(index);
    const ctx = context('new', '', { identifiers: ['approve', 'request'], linesBefore: ['var approval = new '] });
    const ranked = (r: RetrievalIndex) => new RetrievalPipeline(index, r, () => graph.get()).rank({ context: ctx }).candidates.map((c) => c.name);
    assert.deepEqual(ranked(sliced), ranked(once));
    once.dispose();
    sliced.dispose();
  });
});
