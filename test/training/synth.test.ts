import * as assert from 'node:assert';
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { SaxesParser } from 'saxes';
import { parseJavaScript, SyntaxNode } from '../../server/src/syntax/parser';
import { buildInstance, generateInstance, SYNTH_GENERATION, SynthInstance } from '../../server/src/training/synth';
import { cdata, escapeXmlText, renderRecordUpdate } from '../../server/src/training/synth-xml';
import { planInstance } from '../../server/src/training/synth-plan';
import { readXmlRecords } from '../../server/src/workspace/xml';
import { extractRecord } from '../../server/src/syntax/extract';
import type { CallSite, ScriptIncludeInfo } from '../../server/src/model';

interface ReadRecord {
  table: string;
  action: string;
  fields: Record<string, string>;
  attrs: Record<string, Record<string, string>>;
}

/** Reads a one-record `<record_update>` file; throws on malformed XML (that is the test). */
function readRecord(xml: string): ReadRecord {
  const parser = new SaxesParser();
  const out: ReadRecord = { table: '', action: '', fields: {}, attrs: {} };
  let depth = 0;
  let field: string | undefined;
  let text = '';
  parser.on('opentag', (tag) => {
    depth++;
    const attrs = tag.attributes as Record<string, string>;
    if (depth === 1) out.table = attrs.table;
    if (depth === 2) out.action = attrs.action;
    if (depth === 3) {
      field = tag.name;
      text = '';
      out.attrs[tag.name] = attrs;
    }
  });
  parser.on('text', (t) => {
    if (field) text += t;
  });
  parser.on('cdata', (t) => {
    if (field) text += t;
  });
  parser.on('closetag', () => {
    if (depth === 3 && field) {
      out.fields[field] = text;
      field = undefined;
    }
    depth--;
  });
  parser.on('error', (e) => {
    throw e;
  });
  parser.write(xml).close();
  return out;
}

function hashFiles(inst: SynthInstance): string {
  const h = createHash('sha256');
  for (const f of inst.files) h.update(f.path).update('\0').update(f.content).update('\0');
  return h.digest('hex');
}

function firstError(node: SyntaxNode): SyntaxNode | undefined {
  if (node.type === 'ERROR' || node.isMissing) return node;
  if (!node.hasError) return undefined;
  for (const child of node.children) {
    const bad = firstError(child);
    if (bad) return bad;
  }
  return node;
}

const SCRIPT_FIELDS: Record<string, string> = { sys_ws_operation: 'operation_script' };

function occurrences(text: string, name: string): number {
  return (text.match(new RegExp(`\\b${name}\\b`, 'g')) ?? []).length;
}

/** Every Script Include of the instance is read back as planned, and every planned call is found. */
function assertReadBack(inst: SynthInstance): void {
  const found = new Map<string, ScriptIncludeInfo>();
  const sites: CallSite[] = [];
  for (const f of inst.files) {
    const { records: recs, problems } = readXmlRecords(f.content, f.path);
    assert.deepStrictEqual(problems, [], f.path);
    for (const rec of recs) {
      const x = extractRecord(rec, f.path);
      for (const si of x.scriptIncludes) found.set(si.apiName, si);
      sites.push(...x.callSites);
    }
  }
  for (const s of inst.scriptIncludes) {
    const e = found.get(s.apiName);
    assert.ok(e, `${s.apiName} not read back`);
    assert.deepStrictEqual([e.kind, e.access, e.clientCallable, e.active, !!e.description], [s.kind, s.access, s.clientCallable, s.active, s.hasDescription], s.apiName);
    if (s.shape !== 'classless') for (const m of s.methods) assert.ok(e.methods.some((x) => x.name === m), `${s.apiName}.${m}`);
  }
  const key = (p: string, target: string, form: string, method?: string) => `${p}|${target}|${form}|${method ?? ''}`;
  const seen = new Set(sites.map((c) => key(c.path, c.target, c.form, c.method)));
  const withoutMethod = new Set(sites.map((c) => key(c.path, c.target, c.form)));
  for (const c of inst.calls) {
    const ok = c.form === 'function' || c.form === 'extends' ? withoutMethod.has(key(c.callerPath, c.target, c.form)) : seen.has(key(c.callerPath, c.target, c.form, c.method));
    assert.ok(ok, `${c.callerPath}: ${c.form} ${c.target}.${c.method ?? ''}`);
  }
}

describe('synth: the synthetic instance generator', () => {
  let inst: SynthInstance;
  let records: Map<string, ReadRecord>;

  before(() => {
    inst = buildInstance({ scriptIncludes: 200, seed: 7 });
    records = new Map(inst.files.map((f) => [f.path, readRecord(f.content)]));
  });

  describe('determinism', () => {
    it('gives the files of its generation: a change of output bumps SYNTH_GENERATION and this hash', () => {
      const byGeneration: Record<number, string> = { 2: 'bbd922d7e2c25619ff86386403beaef59bb1bbc963dd6726820c37e4579a2303' };
      assert.strictEqual(hashFiles(inst), byGeneration[SYNTH_GENERATION]);
    });

    it('gives byte-identical files for the same options', () => {
      const again = buildInstance({ scriptIncludes: 200, seed: 7 });
      assert.strictEqual(hashFiles(again), hashFiles(inst));
    });

    it('gives a different instance, with different names, for another seed', () => {
      const other = buildInstance({ scriptIncludes: 200, seed: 8 });
      assert.notStrictEqual(hashFiles(other), hashFiles(inst));
      const names = new Set(inst.scriptIncludes.map((s) => s.name));
      const shared = other.scriptIncludes.filter((s) => names.has(s.name)).length;
      assert.ok(shared < 100, `seeds 7 and 8 share ${shared} of 200 names`);
    });

    it('accepts any number as a seed', () => {
      const a = planInstance({ scriptIncludes: 5, seed: -3.5 });
      const b = planInstance({ scriptIncludes: 5, seed: 2 ** 40 });
      assert.strictEqual(a.scriptIncludes.length, 5);
      assert.notDeepStrictEqual(a.scriptIncludes.map((s) => s.name), b.scriptIncludes.map((s) => s.name));
    });
  });

  describe('counts and proportions', () => {
    it('summarises what it wrote', () => {
      const s = inst.summary;
      assert.strictEqual(s.scriptIncludes, 200);
      assert.strictEqual(inst.scriptIncludes.length, 200);
      assert.strictEqual(s.files, inst.files.length);
      assert.strictEqual(s.callSites, inst.calls.length);
      assert.ok(s.callers > 300 && s.callers < 900, `callers ${s.callers}`);
      assert.ok(s.scopes.includes('global'));
      assert.ok(s.scopes.length >= 7 && s.scopes.length <= 13, `scopes ${s.scopes.length}`);
      assert.ok(s.scopes.filter((x) => x !== 'global').every((x) => /^x_[a-z]+_[a-z0-9]+$/.test(x)));
      assert.ok(s.packages.length >= 8);
    });

    it('writes JSDoc on about 40% and a description on about 60% of Script Includes', () => {
      const jsdoc = inst.scriptIncludes.filter((s) => s.hasJsDoc).length / 200;
      const described = inst.scriptIncludes.filter((s) => s.hasDescription).length / 200;
      assert.ok(jsdoc >= 0.3 && jsdoc <= 0.5, `jsdoc ${jsdoc}`);
      assert.ok(described >= 0.5 && described <= 0.7, `description ${described}`);
      const withDoc = inst.scriptIncludes.filter((s) => s.hasJsDoc && s.shape !== 'classless');
      assert.ok(withDoc.every((s) => s.script.startsWith('/**')));
      assert.ok(inst.scriptIncludes.some((s) => /@param \{\w+\} \w+/.test(s.script) && /@returns/.test(s.script)));
      assert.ok(inst.scriptIncludes.some((s) => s.script.includes('@example')));
    });

    it('mixes every shape, access, client-callable and inactive records', () => {
      const shapes = new Set(inst.scriptIncludes.map((s) => s.shape));
      for (const shape of ['class-create', 'ajax', 'extends-child', 'classless', 'es-class', 'revealing-module', 'object-literal']) {
        assert.ok(shapes.has(shape as never), `missing shape ${shape}`);
      }
      assert.ok(inst.scriptIncludes.some((s) => s.clientCallable));
      assert.ok(inst.scriptIncludes.some((s) => !s.active));
      assert.ok(inst.scriptIncludes.some((s) => s.access === 'package_private'));
      const global = inst.scriptIncludes.filter((s) => s.scope === 'global');
      assert.ok(global.filter((s) => s.access === 'public').length / global.length > 0.75);
      for (const s of inst.scriptIncludes.filter((x) => x.shape === 'ajax')) {
        assert.ok(s.clientCallable);
        assert.match(s.script, /Object\.extendsObject\((global\.)?AbstractAjaxProcessor, \{/);
      }
      for (const s of inst.scriptIncludes.filter((x) => x.shape === 'extends-child')) {
        assert.ok(s.parent && s.script.includes(`Object.extendsObject(`) && s.script.includes(s.parent));
      }
    });

    it('has callers of every kind', () => {
      const kinds = new Set(inst.calls.map((c) => c.callerKind));
      for (const kind of ['business-rule', 'client-script', 'ui-action', 'client-ui-action', 'scheduled-job', 'fix-script', 'rest-operation', 'atf-step', 'script-include']) {
        assert.ok(kinds.has(kind as never), `missing caller kind ${kind}`);
      }
      const forms = new Set(inst.calls.map((c) => c.form));
      for (const form of ['new', 'static', 'function', 'glide-ajax', 'extends']) assert.ok(forms.has(form as never), `missing form ${form}`);
      const signals = new Set(inst.calls.map((c) => c.signal));
      assert.deepStrictEqual([...signals].sort(), ['medium', 'strong', 'weak']);
    });

    it('calls a few Script Includes from everywhere and most from a few places, as real code does', () => {
      const plan = planInstance({ scriptIncludes: 1000, seed: 7 });
      const perTarget = new Map<string, number>();
      for (const c of plan.callers) for (const call of c.calls) perTarget.set(call.target.name, (perTarget.get(call.target.name) ?? 0) + 1);
      const counts = [...perTarget.values()].sort((a, b) => b - a);
      const total = counts.reduce((a, b) => a + b, 0);
      const top = counts.slice(0, Math.ceil(counts.length / 100)).reduce((a, b) => a + b, 0);
      assert.ok(top > 0.1 * total, `the most called 1% hold ${top} of ${total} calls`);
      assert.ok(counts[Math.floor(counts.length / 2)] < total / counts.length, 'the median is below the mean');
    });

    it('has scripts that call a sequence of Script Includes, always in the same order', () => {
      const plan = planInstance({ scriptIncludes: 200, seed: 7 });
      const long = plan.callers.filter((c) => c.calls.length >= 3);
      assert.ok(long.length > 0.05 * plan.callers.length, `${long.length} of ${plan.callers.length} callers call three or more`);
      const seen = new Set<string>();
      for (const c of long) {
        const names = c.calls.map((x) => x.target.name);
        assert.strictEqual(new Set(names).size, names.length, names.join(' '));
        for (let i = 0; i < names.length; i++) {
          for (let j = i + 1; j < names.length; j++) {
            assert.ok(!seen.has(`${names[j]} ${names[i]}`), `${names[i]} then ${names[j]}, and elsewhere the other way`);
            seen.add(`${names[i]} ${names[j]}`);
          }
        }
      }
    });

    it('gives Script Include names that are unique and that compete within a domain', () => {
      const names = inst.scriptIncludes.map((s) => s.name);
      assert.strictEqual(new Set(names).size, names.length);
      // Several names share a stem (IncidentUtils, IncidentHelper...): retrieval must tell them apart.
      const stems = new Map<string, number>();
      for (const n of names) {
        const stem = n.replace(/(Utils?|Helper|Service|Manager|API|Validator|Calculator|Builder|Processor|Handler|Client|DAO|Engine|Ajax\w*|AJAX|ClientUtils)\d*$/, '');
        stems.set(stem, (stems.get(stem) ?? 0) + 1);
      }
      assert.ok([...stems.values()].some((n) => n >= 3));
    });
  });

  describe('call rules', () => {
    it('calls across scopes only public Script Includes, qualified by scope', () => {
      const byApi = new Map(inst.scriptIncludes.map((s) => [s.apiName, s]));
      const cross = inst.calls.filter((c) => c.scope !== c.targetScope);
      assert.ok(cross.length > 10, 'expected cross-scope calls');
      for (const c of cross) {
        assert.strictEqual(byApi.get(c.apiName)?.access, 'public', `${c.callerPath} calls ${c.apiName}`);
        if (c.targetScope !== 'global') assert.strictEqual(c.qualifier, c.targetScope);
      }
      for (const c of inst.calls.filter((x) => x.scope === x.targetScope)) assert.strictEqual(c.qualifier, undefined);
    });

    it('calls client-callable Script Includes from the client only, and only those', () => {
      const byApi = new Map(inst.scriptIncludes.map((s) => [s.apiName, s]));
      for (const c of inst.calls) {
        const target = byApi.get(c.apiName)!;
        assert.strictEqual(c.side === 'client', target.clientCallable, `${c.callerPath} -> ${c.apiName}`);
        if (c.side === 'client') assert.strictEqual(c.form, 'glide-ajax');
        assert.ok(target.active, 'no caller of an inactive Script Include');
      }
    });

    it('names the Script Include only at the call itself', () => {
      const byPath = new Map<string, typeof inst.calls>();
      for (const c of inst.calls) byPath.set(c.callerPath, [...(byPath.get(c.callerPath) ?? []), c]);
      const siByPath = new Map(inst.scriptIncludes.map((s) => [s.path, s]));
      let checked = 0;
      for (const [file, calls] of byPath) {
        const rec = records.get(file)!;
        const script = rec.fields[SCRIPT_FIELDS[rec.table] ?? 'script'];
        for (const name of new Set(calls.filter((c) => c.form !== 'extends').map((c) => c.target))) {
          const expected = calls.filter((c) => c.target === name).length;
          const extendsToo = calls.some((c) => c.target === name && c.form === 'extends');
          if (extendsToo) continue;
          assert.strictEqual(occurrences(script, name), expected, `${name} in ${file}`);
          assert.ok(!rec.fields.name.includes(name) || siByPath.has(file), `record name leaks ${name}`);
          checked++;
        }
      }
      assert.ok(checked > 300);
    });

    it('gives the calls the methods the targets declare', () => {
      const byApi = new Map(inst.scriptIncludes.map((s) => [s.apiName, s]));
      const parentOf = (s: { parent?: string }) => inst.scriptIncludes.find((x) => x.name === s.parent);
      for (const c of inst.calls.filter((x) => x.method)) {
        let t = byApi.get(c.apiName);
        let found = false;
        while (t && !found) {
          found = t.methods.includes(c.method!);
          t = parentOf(t);
        }
        assert.ok(found, `${c.apiName}.${c.method}`);
      }
    });
  });

  describe('XML and scripts', () => {
    it('writes the source-control layout with well-formed records', () => {
      for (const f of inst.files) {
        const m = /^(global|x_[a-z0-9_]+)\/update\/([a-z_]+)_([0-9a-f]{32})\.xml$/.exec(f.path);
        assert.ok(m, f.path);
        const rec = records.get(f.path)!;
        assert.strictEqual(rec.table, m[2]);
        assert.strictEqual(rec.action, 'INSERT_OR_UPDATE');
        assert.strictEqual(rec.fields.sys_id, m[3]);
        assert.ok(f.content.startsWith('<?xml version="1.0" encoding="UTF-8"?><record_update table="'));
        if (m[1] === 'global') assert.deepStrictEqual([rec.fields.sys_scope, rec.attrs.sys_scope.display_value], ['global', 'Global']);
        else assert.ok(rec.attrs.sys_package.source === m[1] || rec.attrs.sys_package.source.startsWith('com.'));
      }
      const ids = inst.files.map((f) => f.path.slice(-36));
      assert.strictEqual(new Set(ids).size, ids.length);
    });

    it('stores each Script Include with its fields and exact script', () => {
      for (const s of inst.scriptIncludes) {
        const rec = records.get(s.path)!;
        assert.strictEqual(rec.fields.name, s.name);
        assert.strictEqual(rec.fields.api_name, s.apiName);
        assert.strictEqual(rec.fields.access, s.access);
        assert.strictEqual(rec.fields.client_callable, String(s.clientCallable));
        assert.strictEqual(rec.fields.active, String(s.active));
        assert.strictEqual(rec.fields.script, s.script);
        assert.strictEqual(rec.fields.description !== '', s.hasDescription);
      }
    });

    it('sets the caller fields the readers rely on', () => {
      for (const c of inst.calls) {
        const rec = records.get(c.callerPath)!;
        if (rec.table === 'sys_script') assert.ok(rec.fields.collection && rec.fields.when);
        if (rec.table === 'sys_script_client') assert.ok(rec.fields.table && rec.fields.type);
        if (rec.table === 'sys_ui_action') assert.strictEqual(rec.fields.client, String(c.side === 'client'));
        if (rec.table === 'sys_ws_operation') assert.ok(rec.fields.operation_script && rec.fields.http_method);
      }
    });

    it('writes scripts that parse without errors', () => {
      let parsed = 0;
      for (const [file, rec] of records) {
        const script = rec.fields[SCRIPT_FIELDS[rec.table] ?? 'script'];
        assert.ok(script && script.length > 20, `no script in ${file}`);
        const bad = firstError(parseJavaScript(script).rootNode);
        assert.strictEqual(bad, undefined, bad && `${file}: ${bad.type} at ${bad.startPosition.row}: ${script.split('\n')[bad.startPosition.row]}`);
        parsed++;
      }
      assert.strictEqual(parsed, inst.files.length);
    });

    it('splits `]]>` across CDATA sections and escapes text', () => {
      assert.strictEqual(cdata('a]]>b'), '<![CDATA[a]]]]><![CDATA[>b]]>');
      assert.strictEqual(escapeXmlText('a & b < c > d'), 'a &amp; b &lt; c &gt; d');
      const xml = renderRecordUpdate('sys_script_fix', { name: 'R&D <fix>', script: { cdata: 'if (a[b[0]]>1) { x = "]]>"; }' } });
      const rec = readRecord(xml);
      assert.strictEqual(rec.fields.name, 'R&D <fix>');
      assert.strictEqual(rec.fields.script, 'if (a[b[0]]>1) { x = "]]>"; }');
      const tight = inst.scriptIncludes.find((s) => s.script.includes(']]>'));
      assert.ok(tight, 'some generated script contains ]]>');
      const file = inst.files.find((f) => f.path === tight.path)!;
      assert.ok(file.content.includes(']]]]><![CDATA[>'));
      assert.strictEqual(records.get(tight.path)!.fields.script, tight.script);
    });
  });

  describe('agreement with the workspace readers and the extractor', () => {
    it('reads back every Script Include and finds every planned call', () => {
      assertReadBack(inst);
    });
  });

  describe('generateInstance', () => {
    it('writes the same files to disk and reports them', async () => {
      const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'synth-'));
      try {
        const summary = await generateInstance({ outDir: dir, scriptIncludes: 40, seed: 3, callersPerScriptInclude: 2 });
        const expected = buildInstance({ scriptIncludes: 40, seed: 3, callersPerScriptInclude: 2 });
        assert.deepStrictEqual({ ...summary, ms: 0 }, { ...expected.summary, ms: 0 });
        let onDisk = 0;
        for (const scope of await fs.readdir(dir)) onDisk += (await fs.readdir(path.join(dir, scope, 'update'))).length;
        assert.strictEqual(onDisk, summary.files);
        for (const f of expected.files.slice(0, 25)) assert.strictEqual(await fs.readFile(path.join(dir, f.path), 'utf8'), f.content);
      } finally {
        await fs.rm(dir, { recursive: true, force: true });
      }
    });

    it('produces no callers when asked for none', () => {
      const none = buildInstance({ scriptIncludes: 10, seed: 1, callersPerScriptInclude: 0 });
      assert.strictEqual(none.summary.callers, 0);
      assert.strictEqual(none.files.length, 10);
    });
  });

  describe('the platform shape', () => {
    let platform: SynthInstance;
    before(() => {
      platform = buildInstance({ scriptIncludes: 400, seed: 7, shape: 'platform' });
    });

    const share = (i: SynthInstance, test: (s: SynthInstance['scriptIncludes'][number]) => boolean) => i.scriptIncludes.filter(test).length / i.scriptIncludes.length;
    const classMethods = (i: SynthInstance) => {
      const classes = i.scriptIncludes.filter((s) => s.shape === 'class-create');
      return classes.reduce((n, s) => n + s.methods.length, 0) / classes.length;
    };

    it('puts most Script Includes in one wide global scope, many of them classless or short', () => {
      assert.ok(share(platform, (s) => s.scope === 'global') > 0.75, `global ${share(platform, (s) => s.scope === 'global')}`);
      assert.ok(share(inst, (s) => s.scope === 'global') < 0.5);
      assert.ok(share(platform, (s) => s.shape === 'classless') > 2 * share(inst, (s) => s.shape === 'classless'));
      assert.ok(classMethods(platform) < classMethods(inst), `${classMethods(platform)} vs ${classMethods(inst)}`);
    });

    it('has processors and UI scripts among the callers, and the scoped shape has neither', () => {
      const kinds = (i: SynthInstance) => new Set(i.calls.map((c) => c.callerKind));
      assert.ok(kinds(platform).has('processor') && kinds(platform).has('ui-script'));
      assert.ok(!kinds(inst).has('processor') && !kinds(inst).has('ui-script'));
      for (const c of platform.calls.filter((x) => x.callerKind === 'ui-script')) assert.strictEqual(c.form, 'glide-ajax', c.callerPath);
      const tables = new Set(platform.calls.filter((c) => c.callerKind === 'processor' || c.callerKind === 'ui-script').map((c) => c.callerTable));
      assert.deepStrictEqual([...tables].sort(), ['sys_processor', 'sys_ui_script']);
    });

    it('writes scripts that parse, and reads back every Script Include and planned call', () => {
      for (const f of platform.files.filter((x) => /sys_(processor|ui_script)_/.test(x.path))) {
        const rec = readRecord(f.content);
        const bad = firstError(parseJavaScript(rec.fields.script).rootNode);
        assert.strictEqual(bad, undefined, f.path);
      }
      assertReadBack(platform);
    });

    it('leaves the scoped shape as it was: the default and an explicit scoped are the same bytes', () => {
      assert.strictEqual(hashFiles(buildInstance({ scriptIncludes: 200, seed: 7, shape: 'scoped' })), hashFiles(inst));
    });
  });
});
