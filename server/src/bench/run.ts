/**
 * `npm run bench`: the numbers users judge a completion engine by, measured in one run over a real
 * stdio connection (the built server, driven by bench/lsp-client.ts) on synthetic instances of
 * 1,000, 10,000 and 30,000 Script Includes and on the demo workspace:
 * - cold index, warm start and change-visibility times, peak resident set of each start and the steady one;
 * - completion latency (p50/p95/p99) of the full pipeline, retrieval only and BM25 only, with the
 *   documentation-resolving cost apart, and typescript-language-server on the same positions;
 * - in-process: retrieval and rerank stage times, accuracy of each pipeline on cases the
 *   reranker never trained on (instance seeds are not training seeds);
 * It prints a table, writes bench/results.json and draws bench/latency.svg. Medians over runs and
 * ratios are reported because the machines are shared and noisy.
 */
import { ChildProcess, spawn } from 'child_process';
import { existsSync, promises as fs, readdirSync, readFileSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { pathToFileURL } from 'url';
import { createProtocolConnection, ProtocolConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-languageserver/node';
import { buildCases } from '../rank/cases';
import { EvalWorkspace, fullPipeline, retrievalPipeline } from '../eval/pipelines';
import { caseContext } from '../rank/case-request';
import { createBm25Baseline } from '../eval/bm25-baseline';
import { runEval } from '../eval/runner';
import { EvalCase } from '../eval/types';
import { CompactReranker, SHIPPED_COMPACT } from '../rerank/reranker';
import { extractFeatures, FEATURE_COUNT } from '../rerank/features';
import { loadCrossEncoder } from '../rerank/cross-encoder';
import { generateInstance, SYNTH_GENERATION } from '../training/synth';
import { indexWorkspace } from '../training/train-reranker';
import { eventually, LspClient } from './lsp-client';
import { measurePauseControl, PauseControl } from './machine-pause';
import { LatencySummary, latencySummary as summarize, median, round } from '../stats';
import { latencyChart } from './chart';

export interface BenchOptions {
  sizes: number[];
  /** Platform-shaped instances (one wide global scope), benched beside the scoped curve. */
  platformSizes: number[];
  runs: number;
  completions: number;
  out: string;
  seed: number;
  includeDemo: boolean;
  includeTypescript: boolean;
}

const PIPELINES = ['full', 'retrieval', 'lexical'] as const;
type PipelineName = (typeof PIPELINES)[number];

interface WorkspaceResult {
  name: string;
  scriptIncludes: number;
  files: number;
  coldIndexMs: number[];
  warmStartMs: number[];
  /** From `initialized` to the first completion that offers a workspace Script Include, cold and warm. */
  firstUsefulMs?: { cold: number[]; warm: number[] };
  /** Completion inside `new GlideRecord('`, `gr.addQuery('` and after `current.`, in the cases' documents. */
  schema?: LatencySummary;
  changeVisibleMs: number[];
  /** Completion (full) after a pause (`idle`), and after a pause in which a caller file was saved: what is known per name must survive the edit. */
  afterSave?: { idle: LatencySummary; saved: LatencySummary };
  /** The highest resident set the server reached, over every start and the latency runs. */
  peakRssMb: number;
  /**
   * Resident sets: the peak of each cold and each warm start (to ready, and through the background
   * warm-up that follows, `STARTED_MS`), and the server's resident set once indexed and answering
   * (after the latency runs, learning off), then (`idle`) after a few seconds without requests.
   * `peakColdWithJobs`: the peak of each cold start counting the anonymous memory of the server's
   * child processes (the embedder's fit) beside its own resident set (`TreePeak`).
   */
  rssMb: { peakCold: number[]; peakWarm: number[]; steady: number; idle?: number; peakColdWithJobs?: number[] };
  completion: Record<PipelineName, LatencySummary>;
  /**
   * The requests sent before the first latency run, which comes after the server has been left
   * alone for `SETTLE_MS`: the first of them is the first keystroke after a pause of seconds.
   */
  firstAfterSettleMs?: number[];
  /**
   * Completion of the full pipeline on a server that learns the workspace: while learning runs
   * (right after indexing) and once it is done, beside the same server kind with learning off
   * (`completion.full`, measured with `rank.learnWorkspace: false`).
   */
  learning?: {
    during: LatencySummary;
    after: LatencySummary;
    learnMs: number;
    stillLearningAfterDuring: boolean;
    line: string;
    /** Resident set (MB): the server's peak up to the end of learning, and once it has been quiet a while after. */
    rssMb?: { peak: number; after: number };
  };
  resolve: LatencySummary;
  typescript?: LatencySummary;
  inProcess: {
    retrievalMs: LatencySummary;
    rerankMs: LatencySummary;
    contextMs: LatencySummary;
  };
  accuracy: Array<{ pipeline: string; typed: number; cases: number; top1: number; top5: number; top40: number; mrr: number }>;
}

const REPO = path.resolve(__dirname, '..', '..', '..', '..');

export async function runBench(opts: BenchOptions, log: (line: string) => void): Promise<unknown> {
  const work = path.join(os.tmpdir(), 'deepcodeseek-bench');
  await fs.mkdir(work, { recursive: true });
  const targets: Array<{ name: string; root: string }> = [];
  if (opts.includeDemo) {
    const demo = path.join(work, 'demo-instance');
    await fs.rm(demo, { recursive: true, force: true });
    await fs.cp(path.join(REPO, 'examples', 'demo-instance'), demo, { recursive: true });
    targets.push({ name: 'demo', root: demo });
  }
  const instances = [...opts.sizes.map((size) => ({ size, shape: 'scoped' as const, name: `synth-${size}` })), ...opts.platformSizes.map((size) => ({ size, shape: 'platform' as const, name: `platform-${size}` }))];
  for (const { size, shape, name } of instances) {
    const root = path.join(work, `${name}-seed${opts.seed}`);
    // An instance made by another generation of the generator is made again.
    const stamp = `generation ${SYNTH_GENERATION}\n`;
    const complete = path.join(root, '.complete');
    if (!existsSync(complete) || readFileSync(complete, 'utf8') !== stamp) {
      await fs.rm(root, { recursive: true, force: true });
      const t = performance.now();
      const s = await generateInstance({ outDir: root, scriptIncludes: size, seed: opts.seed, shape });
      await fs.writeFile(complete, stamp);
      log(`generated ${s.scriptIncludes} Script Includes (${shape}, ${s.files} files) in ${((performance.now() - t) / 1000).toFixed(1)} s`);
    }
    targets.push({ name, root });
  }
  const results: WorkspaceResult[] = [];
  for (const t of targets) {
    log(`--- ${t.name}`);
    results.push(await benchWorkspace(t.name, t.root, opts, log));
  }
  const rerankMicro = await rerankMicroBench();
  // The pauses the latency rows leave: 150 ms before each request after a pause or a save, and
  // the settling time before the first latency run.
  const pauseControl = await measurePauseControl([
    { pauseMs: AFTER_SAVE_PAUSE_MS, samples: 20 },
    { pauseMs: SETTLE_MS, samples: 3 },
  ]);
  const report = { machine: { ...machineInfo(), pauseControl }, options: opts, results, rerank: rerankMicro, writtenAt: new Date().toISOString() };
  await fs.mkdir(path.dirname(opts.out), { recursive: true });
  await fs.writeFile(opts.out, JSON.stringify(report, null, 2) + '\n');
  await fs.writeFile(path.join(path.dirname(opts.out), 'latency.svg'), latencyChart(results.filter((r) => r.name.startsWith('synth')).map((r) => ({ size: r.scriptIncludes, full: r.completion.full.p95, retrieval: r.completion.retrieval.p95, lexical: r.completion.lexical.p95, typescript: r.typescript?.p95 }))));
  process.stdout.write(formatBench(results, rerankMicro, pauseControl));
  return report;
}

function machineInfo() {
  return { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, memGb: round(os.totalmem() / 2 ** 30, 1), node: process.version, platform: `${os.platform()} ${os.release()}`, load: os.loadavg().map((x) => round(x, 2)) };
}

async function benchWorkspace(name: string, root: string, opts: BenchOptions, log: (line: string) => void): Promise<WorkspaceResult> {
  // In-process first: cases, accuracy and stage times (the server is not running yet).
  const index = await indexWorkspace(root);
  const scriptIncludes = [...index.scriptIncludes()].length;
  const { cases } = await buildCases(root, index, { limit: opts.completions, seed: 3 });
  const ws = new EvalWorkspace(index);
  const loaded = await CompactReranker.load(SHIPPED_COMPACT, 'compact-reranker');
  const pipelines = [createBm25Baseline(index, root), retrievalPipeline(ws)];
  if (loaded.ok) pipelines.push(fullPipeline(ws, loaded.reranker));
  const evalReport = await runEval(pipelines, cases, { typedChars: [0, 2] });
  const accuracy = evalReport.rows.map((r) => ({ pipeline: r.pipeline, typed: r.typedChars, cases: r.metrics.cases, top1: round(r.metrics.top1, 4), top5: round(r.metrics.top5, 4), top40: round(r.metrics.top40, 4), mrr: round(r.metrics.mrr, 4) }));
  const contextMs: number[] = [];
  const retrievalMs: number[] = [];
  const rerankMs: number[] = [];
  for (const c of cases) {
    let t = performance.now();
    const ctx = caseContext(c, '');
    contextMs.push(performance.now() - t);
    if (ctx.kind === 'none' || ctx.kind === 'member' || ctx.kind === 'sysparm-name') ctx.kind = 'bare';
    t = performance.now();
    const out = ws.pipeline.rank({ context: ctx, excludePaths: new Set([c.path ?? '']) });
    retrievalMs.push(performance.now() - t);
    if (loaded.ok && out.details.length) {
      t = performance.now();
      await loaded.reranker.scoreFeatures(extractFeatures(ctx, out), out.details.length);
      rerankMs.push(performance.now() - t);
    }
  }
  ws.dispose();
  if (loaded.ok) await loaded.reranker.release();
  log(`in-process: ${cases.length} cases, retrieval p95 ${summarize(retrievalMs).p95.toFixed(2)} ms`);

  // Over stdio: cold and warm starts.
  const coldIndexMs: number[] = [];
  const warmStartMs: number[] = [];
  const firstUseful = { cold: [] as number[], warm: [] as number[] };
  let peakRssMb = 0;
  const peakCold: number[] = [];
  const peakWarm: number[] = [];
  const peakColdWithJobs: number[] = [];
  let files = 0;
  for (let run = 0; run < opts.runs; run++) {
    await fs.rm(path.join(root, '.deepcodeseek'), { recursive: true, force: true });
    for (const phase of ['cold', 'warm'] as const) {
      const { client } = await LspClient.start({ roots: [root], settings: { log: { level: 'info' } }, watchFiles: true });
      const tree = new TreePeak(client.proc);
      const t = performance.now();
      const { indexed } = await client.initialized(600_000);
      const useful = await firstUsefulCompletion(client, root, cases[0], indexed);
      if (useful !== undefined) (phase === 'cold' ? firstUseful.cold : firstUseful.warm).push(useful - t);
      await indexed;
      const ms = performance.now() - t;
      (phase === 'cold' ? coldIndexMs : warmStartMs).push(ms);
      const m = client.logs.map((l) => /: (\d+) files,/.exec(l)).find(Boolean);
      if (m) files = Number(m[1]);
      // The start goes on behind ready: the search lists are warmed and ranking primed.
      await new Promise((r) => setTimeout(r, STARTED_MS));
      const peak = peakRss(client.proc);
      (phase === 'cold' ? peakCold : peakWarm).push(peak);
      const withJobs = Math.max(peak, tree.stop());
      if (phase === 'cold') peakColdWithJobs.push(withJobs);
      peakRssMb = Math.max(peakRssMb, peak);
      await client.stop();
    }
    log(`run ${run + 1}: cold ${Math.round(coldIndexMs[run])} ms (first useful completion ${Math.round(firstUseful.cold[run] ?? NaN)} ms), warm ${Math.round(warmStartMs[run])} ms (first useful ${Math.round(firstUseful.warm[run] ?? NaN)} ms)`);
  }

  // One warm server for change visibility and completion latency, without workspace learning
  // (measured on its own below), so these rows are comparable across versions.
  const settings: Record<string, unknown> = { log: { level: 'warn' }, completion: { pipeline: 'full' }, rank: { learnWorkspace: false } };
  const { client } = await LspClient.start({ roots: [root], settings, watchFiles: true });
  await client.initializedAndIndexed(600_000);
  const changeVisibleMs = await measureChangeVisibility(client, root);
  // The probe's file changes schedule a cache save (debounced 1.5 s, a whole index at 10,000):
  // let it pass, or the first pipeline measured pays for it and the next ones do not.
  await new Promise((r) => setTimeout(r, SETTLE_MS));
  const completion = {} as Record<PipelineName, LatencySummary>;
  let resolve: LatencySummary = summarize([]);
  let firstAfterSettleMs: number[] | undefined;
  for (const pipeline of PIPELINES) {
    (settings.completion as Record<string, unknown>).pipeline = pipeline;
    await client.changeSettings(settings);
    await new Promise((r) => setTimeout(r, 200));
    const timing = await measureCompletions(client, root, cases, pipeline === 'full');
    firstAfterSettleMs ??= timing.leadIn;
    completion[pipeline] = summarize(timing.completion);
    if (pipeline === 'full') resolve = summarize(timing.resolve);
    log(`completion ${pipeline}: p50 ${completion[pipeline].p50.toFixed(2)} ms, p95 ${completion[pipeline].p95.toFixed(2)} ms`);
  }
  const schema = summarize((await measureCompletions(client, root, cases, false, (i) => SCHEMA_PROBES[i % SCHEMA_PROBES.length])).completion);
  log(`completion of tables and fields: p50 ${schema.p50.toFixed(2)} ms, p95 ${schema.p95.toFixed(2)} ms`);
  (settings.completion as Record<string, unknown>).pipeline = 'full';
  await client.changeSettings(settings);
  await new Promise((r) => setTimeout(r, 200));
  const paused = await measureAfterSave(client, root, cases.slice(0, AFTER_SAVE_CASES));
  const afterSave = { idle: summarize(paused.idle), saved: summarize(paused.saved) };
  log(`completion after a pause: p95 ${afterSave.idle.p95.toFixed(2)} ms; after a caller is saved: p50 ${afterSave.saved.p50.toFixed(2)} ms, p95 ${afterSave.saved.p95.toFixed(2)} ms`);
  peakRssMb = Math.max(peakRssMb, peakRss(client.proc));
  const steadyRssMb = currentRss(client.proc);
  // The same server after a quiet spell, as when the developer stops typing: the garbage of the
  // requests is given back once the server has been idle a few seconds (memory.ts).
  await new Promise((r) => setTimeout(r, QUIET_MS));
  const idleRssMb = currentRss(client.proc);
  log(`resident set: steady ${steadyRssMb} MB, ${idleRssMb} MB after ${QUIET_MS / 1000} s without requests; peak cold ${median(peakCold)} MB (${median(peakColdWithJobs)} with its child processes), warm ${median(peakWarm)} MB (medians)`);
  await client.stop();
  const learning = await measureLearning(root, cases, log);
  let typescript: LatencySummary | undefined;
  if (opts.includeTypescript) {
    typescript = await measureTypescript(root, cases).catch((err) => {
      log(`typescript-language-server: ${(err as Error).message}`);
      return undefined;
    });
    if (typescript) log(`typescript-language-server: p50 ${typescript.p50.toFixed(2)} ms, p95 ${typescript.p95.toFixed(2)} ms`);
  }
  return {
    name,
    scriptIncludes,
    files,
    coldIndexMs,
    warmStartMs,
    firstUsefulMs: firstUseful,
    changeVisibleMs,
    afterSave,
    peakRssMb,
    rssMb: { peakCold, peakWarm, steady: steadyRssMb, idle: idleRssMb, peakColdWithJobs },
    completion,
    firstAfterSettleMs,
    schema,
    learning,
    resolve,
    typescript,
    inProcess: { retrievalMs: summarize(retrievalMs), rerankMs: summarize(rerankMs), contextMs: summarize(contextMs) },
    accuracy,
  };
}

/** How long a started server is left alone before its completion latency is measured. */
const SETTLE_MS = 5000;
/** The pause before each request of the after-a-pause and after-a-save rows. */
const AFTER_SAVE_PAUSE_MS = 150;

/**
 * Completion latency of a server that learns the workspace: measured while it learns, after the
 * same settling time the other latency runs give the server (learning has then begun, and takes
 * tens of seconds at 10,000), and again once the log says what it learned. The first keystrokes
 * right after a start are measured apart, by the first useful completion.
 */
async function measureLearning(root: string, cases: readonly EvalCase[], log: (line: string) => void): Promise<WorkspaceResult['learning']> {
  await fs.rm(path.join(root, '.deepcodeseek', 'ranking.json'), { force: true });
  const { client } = await LspClient.start({ roots: [root], settings: { log: { level: 'info' }, completion: { pipeline: 'full' } }, watchFiles: true });
  try {
    await client.initializedAndIndexed(600_000);
    const started = performance.now();
    await new Promise((r) => setTimeout(r, SETTLE_MS));
    const learned = () => client.logs.find((l) => l.startsWith('ranking:'));
    const during = summarize((await measureCompletions(client, root, cases, false)).completion);
    const stillLearningAfterDuring = !learned();
    await eventually(async () => !!learned(), 600_000, 50);
    const learnMs = performance.now() - started;
    const peak = peakRss(client.proc);
    const after = summarize((await measureCompletions(client, root, cases, false)).completion);
    // Learning's garbage goes back in the first quiet spell after it (session.ts).
    await new Promise((r) => setTimeout(r, QUIET_MS));
    const rssMb = { peak, after: currentRss(client.proc) };
    log(`learning: ${learned()}; completion while learning p95 ${during.p95.toFixed(2)} ms${stillLearningAfterDuring ? '' : ' (learning ended before the measurement did)'}, after p95 ${after.p95.toFixed(2)} ms; resident set peak ${rssMb.peak} MB, ${rssMb.after} MB once quiet after`);
    return { during, after, learnMs, stillLearningAfterDuring, line: learned() ?? '', rssMb };
  } finally {
    await client.stop();
  }
}

/** Peak resident set of a child process, from /proc (Linux); 0 elsewhere. */
function peakRss(proc: ChildProcess): number {
  return procStatusMb(proc, 'VmHWM');
}

/** Resident set of a child process now, from /proc (Linux); 0 elsewhere. */
function currentRss(proc: ChildProcess): number {
  return procStatusMb(proc, 'VmRSS');
}

/** How long a start is watched past ready: the warm-up and the priming of ranking run then. */
const STARTED_MS = 4000;

/**
 * The peak, sampled every 100 ms, of the server's resident set plus the anonymous memory of its
 * child processes (jobs such as the embedder's fit: what they add, the binary and libraries
 * they map being the server's own pages). Linux only; 0 elsewhere.
 */
class TreePeak {
  private peakKb = 0;
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly proc: ChildProcess) {
    this.timer = setInterval(() => this.sample(), 100);
    this.timer.unref();
  }

  private sample(): void {
    const pid = this.proc.pid;
    if (pid === undefined) return;
    let kb = statusKb(pid, 'VmRSS');
    for (const child of descendants(pid)) kb += statusKb(child, 'RssAnon');
    this.peakKb = Math.max(this.peakKb, kb);
  }

  /** Stops sampling; the peak in MB. */
  stop(): number {
    clearInterval(this.timer);
    this.sample();
    return round(this.peakKb / 1024, 1);
  }
}

function descendants(pid: number): number[] {
  const out: number[] = [];
  const walk = (p: number, depth: number) => {
    if (depth > 4) return;
    let tasks: string[] = [];
    try {
      tasks = readdirSync(`/proc/${p}/task`);
    } catch {
      return;
    }
    for (const task of tasks) {
      let children = '';
      try {
        children = readFileSync(`/proc/${p}/task/${task}/children`, 'utf8');
      } catch {
        continue;
      }
      for (const c of children.split(/\s+/).filter(Boolean).map(Number)) {
        out.push(c);
        walk(c, depth + 1);
      }
    }
  };
  walk(pid, 0);
  return out;
}

/** A `kB` line of a process's `/proc` status (Linux); 0 elsewhere or when it is gone. */
function statusKb(pid: number, key: string): number {
  try {
    const m = new RegExp(`${key}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

function procStatusMb(proc: ChildProcess, key: 'VmHWM' | 'VmRSS'): number {
  return proc.pid === undefined ? 0 : round(statusKb(proc.pid, key) / 1024, 1);
}

/**
 * Writes a new Script Include file, tells the server, and times until the next completion offers
 * it (the path a user feels: save a file, then type its name somewhere else).
 */
async function measureChangeVisibility(client: LspClient, root: string): Promise<number[]> {
  const out: number[] = [];
  const probeUri = pathToFileURL(path.join(root, 'bench_probe', 'caller.js')).toString();
  for (let i = 0; i < 5; i++) {
    const name = `BenchProbe${i}Utils`;
    const file = path.join(root, 'bench_probe', 'script_includes', `${name}.js`);
    await fs.mkdir(path.dirname(file), { recursive: true });
    await fs.writeFile(file, `var ${name} = Class.create();\n${name}.prototype = {\n  probe: function () { return ${i}; },\n  type: '${name}'\n};\n`);
    const text = `var probe = new BenchProbe${i}`;
    await client.open(probeUri, text, 'javascript', i + 1);
    const t = performance.now();
    await client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: pathToFileURL(file).toString(), type: 1 }] });
    await eventually(
      async () => {
        const list = await client.request<{ items: Array<{ label: string }> } | null>('textDocument/completion', { textDocument: { uri: probeUri }, position: { line: 0, character: text.length } });
        return list?.items.some((it) => it.label === name);
      },
      10_000,
      1,
    );
    out.push(performance.now() - t);
    await client.notify('textDocument/didClose', { textDocument: { uri: probeUri } });
  }
  await fs.rm(path.join(root, 'bench_probe'), { recursive: true, force: true });
  await client.notify('workspace/didChangeWatchedFiles', { changes: [0, 1, 2, 3, 4].map((i) => ({ uri: pathToFileURL(path.join(root, 'bench_probe', 'script_includes', `BenchProbe${i}Utils.js`)).toString(), type: 3 })) });
  return out;
}

/** How long the server is left without requests before its idle resident set is read. */
const QUIET_MS = 8_000;

/** Cases timed right after a save (each waits for the server to take the file in). */
const AFTER_SAVE_CASES = 60;

/**
 * The first completion after a save, as when a developer saves a business rule and types on:
 * before each case, a caller file that calls the case's Script Include is written and announced,
 * then the case's completion is timed. The same pause without the save is timed first (`idle`):
 * a server idle for a moment answers more slowly than one under a stream of requests.
 */
async function measureAfterSave(client: LspClient, root: string, cases: readonly EvalCase[]): Promise<{ idle: number[]; saved: number[] }> {
  const file = path.join(root, 'bench_saved', 'caller.js');
  const uri = pathToFileURL(file).toString();
  await fs.mkdir(path.dirname(file), { recursive: true });
  const out = { idle: [] as number[], saved: [] as number[] };
  for (let i = 0; i < cases.length; i++) {
    for (const kind of ['idle', 'saved'] as const) {
      if (kind === 'saved') {
        await fs.writeFile(file, `var helper = new ${cases[i].expected.scriptInclude}();\nhelper.type = 'saved ${i}';\n`);
        await client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri, type: i === 0 ? 1 : 2 }] });
      }
      // The server reads and indexes the one file: well within this at every size benched.
      await new Promise((r) => setTimeout(r, AFTER_SAVE_PAUSE_MS));
      const doc = caseDocument(root, cases[i], i);
      await client.open(doc.uri, doc.text, 'javascript', kind === 'idle' ? 1 : 2);
      const t = performance.now();
      await client.request('textDocument/completion', { textDocument: { uri: doc.uri }, position: doc.position });
      out[kind].push(performance.now() - t);
      await client.notify('textDocument/didClose', { textDocument: { uri: doc.uri } });
    }
  }
  await fs.rm(path.dirname(file), { recursive: true, force: true });
  await client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri, type: 3 }] });
  return out;
}

function positionOf(text: string, offset: number): { line: number; character: number } {
  let line = 0;
  let last = 0;
  for (let i = 0; i < offset; i++) if (text.charCodeAt(i) === 10) {
    line++;
    last = i + 1;
  }
  return { line, character: offset - last };
}

/** A case as an open document: the caller's code up to the hole and after it. */
function caseDocument(root: string, c: EvalCase, i: number): { uri: string; text: string; position: { line: number; character: number } } {
  const text = c.prefix + (c.suffix ?? '');
  const rel = c.path && c.path.endsWith('.js') ? c.path : `bench_cases/case_${i}.js`;
  return { uri: pathToFileURL(path.join(root, rel)).toString(), text, position: positionOf(text, c.prefix.length) };
}

/**
 * Completion latency at each case's hole (the case's code before and after it), or, with `probe`,
 * at the end of the case's code before the hole followed by the probe's text.
 */
async function measureCompletions(client: LspClient, root: string, cases: readonly EvalCase[], withResolve: boolean, probe?: (i: number) => string): Promise<{ completion: number[]; resolve: number[]; leadIn: number[] }> {
  const completion: number[] = [];
  const resolve: number[] = [];
  const leadIn: number[] = [];
  let version = 1;
  // The first requests after a quiet spell meet a machine that has cooled (see machine-pause.ts):
  // they are sent first, timed apart, and the run times the typing that follows them.
  const lead = Math.min(LEAD_IN, Math.max(0, cases.length - 1));
  for (let j = -lead; j < cases.length; j++) {
    const i = j < 0 ? cases.length + j : j;
    const doc = caseDocument(root, cases[i], i);
    if (probe) {
      doc.text = cases[i].prefix + probe(i);
      doc.position = positionOf(doc.text, doc.text.length);
    }
    await client.open(doc.uri, doc.text, 'javascript', version++);
    // Warm the document's tree the way typing does, then time the request itself.
    const t = performance.now();
    const list = await client.request<{ items: Array<Record<string, unknown>> } | null>('textDocument/completion', { textDocument: { uri: doc.uri }, position: doc.position });
    (j < 0 ? leadIn : completion).push(performance.now() - t);
    if (withResolve && j >= 0 && list?.items?.length) {
      const t2 = performance.now();
      await client.request('completionItem/resolve', list.items[0]);
      resolve.push(performance.now() - t2);
    }
    await client.notify('textDocument/didClose', { textDocument: { uri: doc.uri } });
  }
  return { completion, resolve, leadIn };
}

/** Requests sent before each timed latency run, timed apart (`firstAfterSettleMs`). */
const LEAD_IN = 3;

/** The strings and receivers that name tables and fields, each appended to a case's code (the workspace's own caller). */
const SCHEMA_PROBES = ["\nvar gr = new GlideRecord('", "\nvar gr = new GlideRecord('incident');\ngr.addQuery('", "\ncurrent."];

/**
 * Asks for completion at a case's hole every 50 ms from `initialized` until the answer offers a
 * Script Include of the workspace (by name while indexing, or ranked once retrieval is built);
 * resolves with when that answer arrived, or undefined if indexing ended first without one.
 */
async function firstUsefulCompletion(client: LspClient, root: string, c: EvalCase | undefined, indexed: Promise<void>): Promise<number | undefined> {
  if (!c) return undefined;
  const doc = caseDocument(root, c, 0);
  await client.open(doc.uri, doc.text, 'javascript', 1);
  let done = false;
  void indexed.then(() => (done = true), () => (done = true));
  for (;;) {
    const finished = done;
    const list = await client.request<{ items: Array<{ data?: { key?: string } }> } | null>('textDocument/completion', { textDocument: { uri: doc.uri }, position: doc.position });
    if (list?.items?.some((i) => typeof i.data?.key === 'string' && !/^(platform|table|field|property):/.test(i.data.key))) {
      const at = performance.now();
      await client.notify('textDocument/didClose', { textDocument: { uri: doc.uri } });
      return at;
    }
    if (finished) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  await client.notify('textDocument/didClose', { textDocument: { uri: doc.uri } });
  return undefined;
}

/** The same completion requests on typescript-language-server, the reference users live with. */
async function measureTypescript(root: string, cases: readonly EvalCase[]): Promise<LatencySummary> {
  const cli = path.join(REPO, 'node_modules', 'typescript-language-server', 'lib', 'cli.mjs');
  const proc = spawn(process.execPath, [cli, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
  const conn: ProtocolConnection = createProtocolConnection(new StreamMessageReader(proc.stdout!), new StreamMessageWriter(proc.stdin!));
  conn.onRequest('workspace/configuration', (p: { items: unknown[] }) => p.items.map(() => null));
  conn.onRequest('client/registerCapability', () => null);
  conn.onRequest('window/workDoneProgress/create', () => null);
  conn.onNotification('window/logMessage', () => undefined);
  conn.onNotification('$/progress', () => undefined);
  conn.onNotification('textDocument/publishDiagnostics', () => undefined);
  conn.listen();
  try {
    await conn.sendRequest('initialize', {
      processId: process.pid,
      rootUri: pathToFileURL(root).toString(),
      capabilities: { textDocument: { completion: { completionItem: { snippetSupport: true } } } },
      initializationOptions: { tsserver: { path: path.join(REPO, 'node_modules', 'typescript', 'lib', 'tsserver.js') } },
    });
    await conn.sendNotification('initialized', {});
    const times: number[] = [];
    for (let i = 0; i < cases.length; i++) {
      const doc = caseDocument(root, cases[i], i);
      await conn.sendNotification('textDocument/didOpen', { textDocument: { uri: doc.uri, languageId: 'javascript', version: 1, text: doc.text } });
      // The first request on a document also builds its project: warm it once, untimed.
      if (i === 0) await conn.sendRequest('textDocument/completion', { textDocument: { uri: doc.uri }, position: doc.position });
      const t = performance.now();
      await conn.sendRequest('textDocument/completion', { textDocument: { uri: doc.uri }, position: doc.position });
      times.push(performance.now() - t);
      await conn.sendNotification('textDocument/didClose', { textDocument: { uri: doc.uri } });
    }
    await conn.sendRequest('shutdown', null);
    await conn.sendNotification('exit', null);
    return summarize(times);
  } finally {
    conn.dispose();
    proc.kill();
  }
}

/** Rerank time for 40 candidates: the shipped compact model and a tiny cross-encoder. */
async function rerankMicroBench(): Promise<Record<string, LatencySummary | string>> {
  const out: Record<string, LatencySummary | string> = {};
  const loaded = await CompactReranker.load(SHIPPED_COMPACT, 'compact');
  if (loaded.ok) {
    const n = 40;
    const features = new Float32Array(n * FEATURE_COUNT).map((_, i) => ((i * 31) % 17) / 17);
    const times: number[] = [];
    for (let i = 0; i < 520; i++) {
      const t = performance.now();
      await loaded.reranker.scoreFeatures(features, n);
      if (i >= 20) times.push(performance.now() - t);
    }
    out['compact-reranker (40 candidates)'] = summarize(times);
    await loaded.reranker.release();
  } else out['compact-reranker (40 candidates)'] = loaded.error;
  try {
    // The tiny cross-encoder the tests build (random weights, tiny vocabulary): it measures our
    // tokenizing, batching and scoring code, not a real model's compute.
    const tiny = require('../../../test/rerank/tiny-models') as typeof import('../../../test/rerank/tiny-models');
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'dcs-bench-ce-'));
    const m = tiny.tinyBertModel();
    await fs.writeFile(path.join(dir, 'model.onnx'), m.bytes);
    await fs.writeFile(path.join(dir, 'tokenizer.json'), JSON.stringify(tiny.bertTokenizerJson()));
    const ce = await loadCrossEncoder({ modelPath: path.join(dir, 'model.onnx'), kind: 'cross-encoder' });
    if (ce.ok) {
      const docs = Array.from({ length: 40 }, (_, i) => `incident utils ${i} close assign group`);
      const times: number[] = [];
      for (let i = 0; i < 220; i++) {
        const t = performance.now();
        await ce.encoder.score('close the incident for the group', docs);
        if (i >= 20) times.push(performance.now() - t);
      }
      out['tiny cross-encoder (40 candidates)'] = summarize(times);
      await ce.encoder.release();
    } else out['tiny cross-encoder (40 candidates)'] = ce.error;
    await fs.rm(dir, { recursive: true, force: true });
  } catch (err) {
    out['tiny cross-encoder (40 candidates)'] = (err as Error).message;
  }
  return out;
}

function fmt(x: number | undefined, d = 1): string {
  return x === undefined || Number.isNaN(x) ? '-' : x.toFixed(d);
}

export function formatBench(results: readonly WorkspaceResult[], rerank: Record<string, LatencySummary | string>, pauseControl?: PauseControl): string {
  const lines: string[] = [];
  lines.push('');
  lines.push('workspace      SIs    files  cold idx s  warm s  1st useful cold/warm s  change ms  RSS MB peak cold/warm, steady, idle');
  for (const r of results) {
    const useful = `${fmt(median(r.firstUsefulMs?.cold ?? []) / 1000, 2)} / ${fmt(median(r.firstUsefulMs?.warm ?? []) / 1000, 2)}`;
    lines.push(
      `${r.name.padEnd(13)} ${String(r.scriptIncludes).padStart(5)} ${String(r.files).padStart(7)}  ${fmt(median(r.coldIndexMs) / 1000, 2).padStart(10)}  ${fmt(median(r.warmStartMs) / 1000, 2).padStart(6)}  ${useful.padStart(22)}  ${fmt(median(r.changeVisibleMs)).padStart(9)}  ${`${fmt(median(r.rssMb.peakCold), 0)} / ${fmt(median(r.rssMb.peakWarm), 0)}, ${fmt(r.rssMb.steady, 0)}, ${r.rssMb.idle === undefined ? '-' : fmt(r.rssMb.idle, 0)}`.padStart(23)}`,
    );
  }
  if (results.some((r) => r.learning?.rssMb)) {
    lines.push('');
    lines.push('learning the workspace          s   RSS MB peak / after');
    for (const r of results) {
      if (!r.learning?.rssMb) continue;
      lines.push(`${r.name.padEnd(26)} ${fmt(r.learning.learnMs / 1000, 1).padStart(6)}   ${`${fmt(r.learning.rssMb.peak, 0)} / ${fmt(r.learning.rssMb.after, 0)}`.padStart(19)}`);
    }
  }
  if (results.some((r) => r.rssMb.peakColdWithJobs?.length)) {
    lines.push('');
    lines.push('peak RSS MB of a cold start, with its child processes');
    for (const r of results) {
      if (!r.rssMb.peakColdWithJobs?.length) continue;
      lines.push(`${r.name.padEnd(36)} ${fmt(median(r.rssMb.peakColdWithJobs), 0).padStart(12)}`);
    }
  }
  lines.push('');
  lines.push('completion over stdio (ms)        p50     p95     p99   vs tsserver p95');
  for (const r of results) {
    for (const p of PIPELINES) {
      const s = r.completion[p];
      const ratio = r.typescript ? `${fmt(s.p95 / r.typescript.p95, 2)}x` : '-';
      lines.push(`${`${r.name} ${p}`.padEnd(30)} ${fmt(s.p50, 2).padStart(7)} ${fmt(s.p95, 2).padStart(7)} ${fmt(s.p99, 2).padStart(7)}   ${ratio}`);
    }
    if (r.learning) {
      for (const [label, s] of [['full, learning', r.learning.during], ['full, learned', r.learning.after]] as const) {
        lines.push(`${`${r.name} ${label}`.padEnd(30)} ${fmt(s.p50, 2).padStart(7)} ${fmt(s.p95, 2).padStart(7)} ${fmt(s.p99, 2).padStart(7)}   ${fmt(s.p95 / r.completion.full.p95, 2)}x full`);
      }
    }
    if (r.afterSave) {
      const { idle, saved } = r.afterSave;
      lines.push(`${`${r.name} full, after a pause`.padEnd(30)} ${fmt(idle.p50, 2).padStart(7)} ${fmt(idle.p95, 2).padStart(7)} ${fmt(idle.p99, 2).padStart(7)}   ${fmt(idle.p95 / r.completion.full.p95, 2)}x full`);
      lines.push(`${`${r.name} full, after a save`.padEnd(30)} ${fmt(saved.p50, 2).padStart(7)} ${fmt(saved.p95, 2).padStart(7)} ${fmt(saved.p99, 2).padStart(7)}   ${fmt(saved.p95 / idle.p95, 2)}x pause`);
    }
    if (r.firstAfterSettleMs?.length) {
      const first = r.firstAfterSettleMs[0];
      lines.push(`${`${r.name} 1st after ${SETTLE_MS / 1000} s idle`.padEnd(30)} ${fmt(first, 2).padStart(7)} ${'-'.padStart(7)} ${'-'.padStart(7)}   ${fmt(first / r.completion.full.p50, 2)}x full p50`);
    }
    if (r.schema) lines.push(`${`${r.name} tables & fields`.padEnd(30)} ${fmt(r.schema.p50, 2).padStart(7)} ${fmt(r.schema.p95, 2).padStart(7)} ${fmt(r.schema.p99, 2).padStart(7)}   ${fmt(r.schema.p95 / r.completion.full.p95, 2)}x full`);
    lines.push(`${`${r.name} resolve`.padEnd(30)} ${fmt(r.resolve.p50, 2).padStart(7)} ${fmt(r.resolve.p95, 2).padStart(7)} ${fmt(r.resolve.p99, 2).padStart(7)}`);
    if (r.typescript) lines.push(`${`${r.name} typescript-ls`.padEnd(30)} ${fmt(r.typescript.p50, 2).padStart(7)} ${fmt(r.typescript.p95, 2).padStart(7)} ${fmt(r.typescript.p99, 2).padStart(7)}`);
  }
  if (pauseControl) {
    const after = pauseControl.afterPause.map((p) => `${fmt(median(p.ms), 1)} ms after ${p.pauseMs} ms idle (${fmt(p.factor, 2)}x)`).join(', ');
    lines.push(`machine control, plain JavaScript lookups (bench/machine-pause.ts): ${fmt(pauseControl.steady.p50, 1)} ms back to back, ${after}`);
  }
  lines.push('');
  lines.push('in-process stages (ms)            p50     p95');
  for (const r of results) {
    lines.push(`${`${r.name} context`.padEnd(30)} ${fmt(r.inProcess.contextMs.p50, 2).padStart(7)} ${fmt(r.inProcess.contextMs.p95, 2).padStart(7)}`);
    lines.push(`${`${r.name} retrieval`.padEnd(30)} ${fmt(r.inProcess.retrievalMs.p50, 2).padStart(7)} ${fmt(r.inProcess.retrievalMs.p95, 2).padStart(7)}`);
    lines.push(`${`${r.name} rerank`.padEnd(30)} ${fmt(r.inProcess.rerankMs.p50, 2).padStart(7)} ${fmt(r.inProcess.rerankMs.p95, 2).padStart(7)}`);
  }
  for (const [k, v] of Object.entries(rerank)) lines.push(typeof v === 'string' ? `${k}: ${v}` : `${k.padEnd(30)} ${fmt(v.p50, 3).padStart(7)} ${fmt(v.p95, 3).padStart(7)}`);
  lines.push('');
  lines.push('accuracy (cases the reranker never trained on)   typed  top1    top5    top40   MRR');
  for (const r of results) {
    for (const a of r.accuracy) {
      lines.push(`${`${r.name} ${a.pipeline}`.padEnd(48)} ${String(a.typed).padStart(5)}  ${fmt(100 * a.top1).padStart(5)}%  ${fmt(100 * a.top5).padStart(5)}%  ${fmt(100 * a.top40).padStart(5)}%  ${a.mrr.toFixed(3)}`);
    }
  }
  lines.push('');
  return lines.join('\n');
}
