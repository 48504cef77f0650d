/**
 * `deepcodeseek synth`: a deterministic synthetic ServiceNow instance in the source-control XML
 * layout (`<scope>/update/<table>_<sys_id>.xml`), for reranker training data, scale tests and
 * evaluation on seeds a model has not seen. Script Includes of many domains compete with similar
 * names; callers carry real but imperfect signal around each call; the Script Include's name
 * appears in a caller only at the call itself.
 *
 * `buildInstance` is pure (files in memory, plus the ground truth of every call);
 * `generateInstance` streams the same files to disk with bounded concurrency.
 */
import { promises as fs } from 'fs';
import * as path from 'path';
import { CallForm, ScriptIncludeKind, Side } from '../model';
import { rngFor, Rng } from './synth-random';
import { CallerKind, CallerPlan, InstancePlan, InstanceShape, PackageRef, ScopePlan, Shape, Signal, SiPlan, planInstance } from './synth-plan';
import { renderScriptIncludeScript, ExtraMethod } from './synth-script-include';
import { hostedMethod, renderCaller } from './synth-callers';
import { FieldValue, renderRecordUpdate } from './synth-xml';

/**
 * Which generation of the generator's output this is. Bump it whenever the same options start to
 * give other files (a test pins the output of one small instance to it), so what was generated
 * before (the benchmark's instances) is made again rather than measured as if it were the same.
 * 2: callers per Script Include heavy-tailed, habitual call sequences.
 */
export const SYNTH_GENERATION = 2;

export interface SynthOptions {
  outDir: string;
  scriptIncludes: number;
  seed: number;
  /** Mean number of callers per active Script Include (default 3). */
  callersPerScriptInclude?: number;
  /** Default `scoped`; `platform` is one wide global scope, as a real instance's own code is. */
  shape?: InstanceShape;
}

export interface SynthSummary {
  scriptIncludes: number;
  /** Calling units: caller records plus methods added to other Script Includes. */
  callers: number;
  /** Every call of a Script Include, including `Object.extendsObject(Parent, ...)`. */
  callSites: number;
  scopes: string[];
  packages: string[];
  files: number;
  ms: number;
}

export interface SynthFile {
  /** Relative to the output folder, `/`-separated. */
  path: string;
  content: string;
}

/** The ground truth of one call: where it is and what it calls. */
export interface SynthCall {
  callerPath: string;
  callerTable: string;
  callerName: string;
  callerKind: CallerKind;
  scope: string;
  side: Side;
  target: string;
  apiName: string;
  targetScope: string;
  method?: string;
  form: CallForm;
  qualifier?: string;
  signal: Signal;
}

export interface SynthScriptInclude {
  name: string;
  apiName: string;
  scope: string;
  package: string;
  path: string;
  shape: Shape;
  kind: ScriptIncludeKind;
  access: 'public' | 'package_private';
  clientCallable: boolean;
  active: boolean;
  hasJsDoc: boolean;
  hasDescription: boolean;
  parent?: string;
  domain: string;
  methods: string[];
  script: string;
}

export interface SynthInstance {
  files: SynthFile[];
  summary: SynthSummary;
  calls: SynthCall[];
  scriptIncludes: SynthScriptInclude[];
}

/** One rendered file with what it declares and calls. */
export interface RenderedFile extends SynthFile {
  calls: SynthCall[];
  scriptInclude?: SynthScriptInclude;
}

const KIND_OF_SHAPE: Record<Shape, ScriptIncludeKind> = {
  'class-create': 'class-create',
  ajax: 'extends-object',
  'extends-child': 'extends-object',
  classless: 'classless-function',
  'es-class': 'es-class',
  'revealing-module': 'revealing-module',
  'object-literal': 'object-literal',
};

const USERS = ['admin', 'john.doe', 'maria.garcia', 'dev.integration', 'a.kowalski', 'li.wei', 'svc.deploy'];

function timestamp(rng: Rng): string {
  const two = (n: number) => String(n).padStart(2, '0');
  return `20${rng.int(18, 25)}-${two(rng.int(1, 12))}-${two(rng.int(1, 28))} ${two(rng.int(0, 23))}:${two(rng.int(0, 59))}:${two(rng.int(0, 59))}`;
}

function scopeRef(scope: ScopePlan): FieldValue {
  return { value: scope.sysId, attrs: [['display_value', scope.display]] };
}

function packageRef(pkg: PackageRef): FieldValue {
  return { value: pkg.sysId, attrs: [['display_value', pkg.name], ['source', pkg.source]] };
}

/** Bookkeeping fields every record carries. */
function systemFields(rng: Rng, table: string, sysId: string, name: string, scope: ScopePlan, pkg: PackageRef): Record<string, FieldValue> {
  const created = timestamp(rng);
  const updated = timestamp(rng);
  return {
    sys_class_name: table,
    sys_created_by: rng.pick(USERS),
    sys_created_on: created < updated ? created : updated,
    sys_id: sysId,
    sys_mod_count: String(rng.int(0, 40)),
    sys_name: name,
    sys_package: packageRef(pkg),
    sys_policy: '',
    sys_scope: scopeRef(scope),
    sys_update_name: `${table}_${sysId}`,
    sys_updated_by: rng.pick(USERS),
    sys_updated_on: created < updated ? updated : created,
  };
}

export function recordPath(scope: string, table: string, sysId: string): string {
  return `${scope}/update/${table}_${sysId}.xml`;
}

function callTruth(caller: CallerPlan, where: { path: string; table: string; name: string; side: Side; scope: string }): SynthCall[] {
  return caller.calls.map((c) => ({
    callerPath: where.path,
    callerTable: where.table,
    callerName: where.name,
    callerKind: caller.kind,
    scope: where.scope,
    side: where.side,
    target: c.target.name,
    apiName: c.target.apiName,
    targetScope: c.target.scope.scope,
    method: c.method?.name,
    form: c.form,
    qualifier: c.qualifier,
    signal: caller.signal,
  }));
}

function renderScriptIncludeFile(seed: number, si: SiPlan): RenderedFile {
  const file = recordPath(si.scope.scope, 'sys_script_include', si.sysId);
  const taken = new Set([...si.methods.map((m) => m.name), ...(si.parent ? si.parent.methods.map((m) => m.name) : []), 'initialize', '_getRecord', 'type']);
  const extra: ExtraMethod[] = [];
  const calls: SynthCall[] = [];
  for (const caller of si.hosted) {
    const m = hostedMethod(seed, caller, taken);
    taken.add(m.name);
    extra.push(m);
    calls.push(...callTruth(caller, { path: file, table: 'sys_script_include', name: si.name, side: 'server', scope: si.scope.scope }));
  }
  if (si.parent) {
    const qualifier = si.parent.scope.scope !== si.scope.scope ? si.parent.scope.scope : undefined;
    calls.push({
      callerPath: file, callerTable: 'sys_script_include', callerName: si.name, callerKind: 'script-include', scope: si.scope.scope, side: 'server',
      target: si.parent.name, apiName: si.parent.apiName, targetScope: si.parent.scope.scope, form: 'extends', qualifier, signal: 'strong',
    });
  }
  const script = renderScriptIncludeScript(seed, si, extra);
  const rng = rngFor(seed, 'si-record', si.index);
  const fields: Record<string, FieldValue> = {
    access: si.access,
    active: String(si.active),
    api_name: si.apiName,
    caller_access: '',
    client_callable: String(si.clientCallable),
    description: si.description ?? '',
    name: si.name,
    sandbox_callable: 'false',
    script: { cdata: script },
    ...systemFields(rng, 'sys_script_include', si.sysId, si.name, si.scope, si.pkg),
  };
  const info: SynthScriptInclude = {
    name: si.name,
    apiName: si.apiName,
    scope: si.scope.scope,
    package: si.pkg.source,
    path: file,
    shape: si.shape,
    kind: KIND_OF_SHAPE[si.shape],
    access: si.access,
    clientCallable: si.clientCallable,
    active: si.active,
    hasJsDoc: si.jsdoc,
    hasDescription: si.description !== undefined,
    parent: si.parent?.name,
    domain: si.domain.key,
    methods: [...si.methods.map((m) => m.name), ...extra.map((m) => m.name)],
    script,
  };
  return { path: file, content: renderRecordUpdate('sys_script_include', fields), calls, scriptInclude: info };
}

function renderCallerFile(seed: number, caller: CallerPlan): RenderedFile | undefined {
  const text = renderCaller(seed, caller);
  if (!text) return undefined;
  const file = recordPath(caller.scope.scope, text.table, caller.sysId);
  const rng = rngFor(seed, 'caller-record', caller.index);
  const fields: Record<string, FieldValue> = {
    active: 'true',
    ...text.fields,
    name: text.name,
    [text.scriptField]: { cdata: text.script },
    ...systemFields(rng, text.table, caller.sysId, text.name, caller.scope, caller.pkg),
  };
  return {
    path: file,
    content: renderRecordUpdate(text.table, fields),
    calls: callTruth(caller, { path: file, table: text.table, name: text.name, side: text.side, scope: caller.scope.scope }),
  };
}

/** Every file of the planned instance, one at a time: Script Includes first, then callers. */
export function* renderInstance(plan: InstancePlan): Generator<RenderedFile> {
  for (const si of plan.scriptIncludes) yield renderScriptIncludeFile(plan.seed, si);
  for (const caller of plan.callers) {
    const file = renderCallerFile(plan.seed, caller);
    if (file) yield file;
  }
}

function summarize(plan: InstancePlan, files: number, callSites: number, ms: number): SynthSummary {
  const packages = new Set<string>();
  for (const si of plan.scriptIncludes) packages.add(si.pkg.source);
  for (const c of plan.callers) packages.add(c.pkg.source);
  return {
    scriptIncludes: plan.scriptIncludes.length,
    callers: plan.callers.length,
    callSites,
    scopes: plan.scopes.map((s) => s.scope).sort(),
    packages: [...packages].sort(),
    files,
    ms,
  };
}

/** The whole instance in memory, with the ground truth of its calls. Deterministic in the options. */
export function buildInstance(opts: Omit<SynthOptions, 'outDir'> & { outDir?: string }): SynthInstance {
  const start = performance.now();
  const plan = planInstance(opts);
  const files: SynthFile[] = [];
  const calls: SynthCall[] = [];
  const scriptIncludes: SynthScriptInclude[] = [];
  for (const f of renderInstance(plan)) {
    files.push({ path: f.path, content: f.content });
    calls.push(...f.calls);
    if (f.scriptInclude) scriptIncludes.push(f.scriptInclude);
  }
  const summary = summarize(plan, files.length, calls.length, Math.round(performance.now() - start));
  return { files, summary, calls, scriptIncludes };
}

/** How many writes are in flight at once: enough to hide latency, few enough for small machines. */
const WRITE_CONCURRENCY = 32;

/**
 * Writes a synthetic instance in the source-control XML layout under outDir. Deterministic:
 * same options -> byte-identical files. Existing files are overwritten, never deleted: give it
 * an empty folder to get exactly one instance.
 */
export async function generateInstance(opts: SynthOptions): Promise<SynthSummary> {
  const start = performance.now();
  const plan = planInstance(opts);
  for (const scope of plan.scopes) await fs.mkdir(path.join(opts.outDir, scope.scope, 'update'), { recursive: true });
  const inflight = new Set<Promise<void>>();
  let files = 0;
  let callSites = 0;
  let failure: unknown;
  for (const f of renderInstance(plan)) {
    if (failure !== undefined) break;
    files++;
    callSites += f.calls.length;
    const p: Promise<void> = fs.writeFile(path.join(opts.outDir, f.path), f.content).then(
      () => void inflight.delete(p),
      (err: unknown) => {
        inflight.delete(p);
        failure ??= err;
      },
    );
    inflight.add(p);
    if (inflight.size >= WRITE_CONCURRENCY) await Promise.race(inflight);
  }
  await Promise.all(inflight);
  if (failure !== undefined) throw failure;
  return summarize(plan, files, callSites, Math.round(performance.now() - start));
}
