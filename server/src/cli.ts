/**
 * The one entry point: `deepcodeseek <command>`. Each command parses its flags with node's
 * `util.parseArgs` and calls into the library; output goes to stdout (tables or `--json`), logs to
 * stderr.
 */
import * as path from 'path';
import { parseArgs } from 'util';
import { defaultSettings } from './config';
import { consoleEditor } from './editor';
import { ApiIndex } from './index/api-index';
import { Indexer, IndexReport, reportIndex } from './index/indexer';

type Command = (args: string[]) => Promise<number>;

const USAGE = `deepcodeseek: ServiceNow Script Include retrieval as a language server

usage:
  deepcodeseek serve --stdio                         run the language server over stdio
  deepcodeseek index --workspace DIR [--json] [--no-cache]
                                                     index a workspace and print what was found
  deepcodeseek synth --out DIR --script-includes N --seed S [--shape scoped|platform] [--force]
                                                     write a synthetic ServiceNow instance (into an empty folder);
                                                     platform: one wide global scope, as real instances have
  deepcodeseek query --workspace DIR --file F --line L --character C [--json]
                                                     the ranked APIs at a position, with each stage's scores
  deepcodeseek cases --workspace DIR --out FILE [--limit N] [--seed S]
                                                     leak-free eval cases from the workspace's call sites
  deepcodeseek eval --workspace DIR --cases FILE [--json OUT] [--typed 0,2] [--ablations] [--model M.onnx]
                                                     bm25, retrieval and full pipelines in one run
  deepcodeseek eval --corpus DIR [DIR...] [--limit N] [--typed 0,2] [--ablations] [--json OUT] [--model M.onnx]
                                                     real-code eval: each workspace's own call sites as cases,
                                                     one table per workspace and the macro average; --model
                                                     measures another compact reranker, learning fine-tunes it
                                                     from M.json beside it
  deepcodeseek train [--out models/compact-reranker.onnx] [--quick]
                                                     train the compact reranker on synthetic instances
  deepcodeseek train --workspace DIR                 fine-tune it on a workspace's own call sites
  deepcodeseek bench [--sizes 1000,10000,30000] [--platform-sizes 10000] [--runs 3] [--completions 150] [--quick]
                                                     latency, index and accuracy benchmark (bench/results.json)
  deepcodeseek help | --help | -h                     this text (and COMMAND --help for one command)
  deepcodeseek --version                             the version
`;

const COMMANDS: Record<string, Command> = {
  serve: serveCommand,
  index: indexCommand,
  synth: synthCommand,
  query: queryCommand,
  cases: casesCommand,
  eval: evalCommand,
  train: trainCommand,
  bench: benchCommand,
  help: async () => {
    process.stdout.write(USAGE);
    return 0;
  },
};

/** A bad argument: one line on stderr and exit status 2. */
export class UsageError extends Error {}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h') return COMMANDS.help([]);
  if (name === '--version' || name === '-v' || name === 'version') {
    const { SERVER_VERSION } = require('./version') as typeof import('./version');
    process.stdout.write(`deepcodeseek ${SERVER_VERSION}\n`);
    return 0;
  }
  const command = COMMANDS[name];
  if (!command) {
    process.stderr.write(`deepcodeseek: unknown command '${name}' (deepcodeseek --help lists them)\n`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(commandUsage(name));
    return 0;
  }
  try {
    return await command(rest);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    // parseArgs reports unknown and malformed options as TypeErrors with a code.
    const usage = err instanceof UsageError || (err instanceof TypeError && /ERR_PARSE_ARGS|option|argument/i.test(`${(err as NodeJS.ErrnoException).code ?? ''} ${message}`));
    process.stderr.write(`deepcodeseek ${name}: ${message.split('\n')[0]}\n`);
    return usage ? 2 : 1;
  }
}

/** The usage lines of one command. */
function commandUsage(name: string): string {
  const lines = USAGE.split('\n');
  const out: string[] = [];
  lines.forEach((line, at) => {
    if (!line.trimStart().startsWith(`deepcodeseek ${name} `) && line.trim() !== `deepcodeseek ${name}`) return;
    out.push(line);
    for (let i = at + 1; i < lines.length && /^\s{20,}/.test(lines[i]); i++) out.push(lines[i]);
  });
  return out.length ? `usage:\n${out.join('\n')}\n` : USAGE;
}

/** A whole number within bounds, or a one-line usage error naming the option. */
function intOption(value: string | undefined, option: string, fallback: number, min = 0, max = Number.MAX_SAFE_INTEGER): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!/^-?\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < min || n > max) throw new UsageError(`${option} takes a whole number from ${min} to ${max} (got '${value}')`);
  return n;
}

/** An existing folder, resolved, or a one-line usage error. */
function folderOption(value: string | undefined, option: string): string {
  const { statSync } = require('fs') as typeof import('fs');
  const dir = path.resolve(value ?? '.');
  let isDir = false;
  try {
    isDir = statSync(dir).isDirectory();
  } catch {
    isDir = false;
  }
  if (!isDir) throw new UsageError(`${option} ${dir}: no such folder`);
  return dir;
}

async function serveCommand(args: string[]): Promise<number> {
  parseArgs({ args, options: { stdio: { type: 'boolean' }, 'node-ipc': { type: 'boolean' }, 'clientProcessId': { type: 'string' } }, strict: false });
  // Loaded lazily: the other commands should not pay for the LSP library.
  const { createConnection, StreamMessageReader, StreamMessageWriter } = require('vscode-languageserver/node') as typeof import('vscode-languageserver/node');
  const { startServer } = require('./server') as typeof import('./server');
  // stdout is the protocol channel: nothing else may write to it.
  console.log = (...a: unknown[]) => process.stderr.write(a.map(String).join(' ') + '\n');
  const reader = new StreamMessageReader(process.stdin);
  const connection = createConnection(reader, new StreamMessageWriter(process.stdout));
  const server = startServer(connection);
  // The editor is gone (stdin ended, even with no processId to watch) or the stream can no
  // longer be read (a malformed header): save what is worth saving and exit, never linger.
  let leaving = false;
  const leave = (code: number, why?: string) => {
    if (leaving) return;
    leaving = true;
    if (why) process.stderr.write(`deepcodeseek serve: ${why}; exiting\n`);
    const timer = setTimeout(() => process.exit(code), 3000);
    timer.unref();
    void server.dispose().catch(() => undefined).finally(() => process.exit(code));
  };
  process.stdin.once('end', () => leave(0));
  process.stdin.once('close', () => leave(0));
  reader.onError((err) => leave(1, `cannot read the client's messages (${err.message})`));
  return new Promise<number>(() => undefined);
}

async function indexCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { workspace: { type: 'string', short: 'w' }, json: { type: 'boolean' }, 'no-cache': { type: 'boolean' } },
  });
  const root = folderOption(values.workspace, '--workspace');
  const editor = consoleEditor('warn');
  const index = new ApiIndex();
  const indexer = new Indexer(index, { root, settings: defaultSettings(), editor, persist: !values['no-cache'] });
  const stats = await indexer.indexAll();
  const report = reportIndex(index, stats, root);
  process.stdout.write(values.json ? JSON.stringify(report, null, 2) + '\n' : formatIndexReport(report, index));
  return 0;
}

async function synthCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { out: { type: 'string' }, 'script-includes': { type: 'string' }, seed: { type: 'string' }, shape: { type: 'string' }, json: { type: 'boolean' }, force: { type: 'boolean' } },
  });
  const { INSTANCE_SHAPES } = require('./training/synth-plan') as typeof import('./training/synth-plan');
  const shape = (values.shape ?? 'scoped') as (typeof INSTANCE_SHAPES)[number];
  if (!INSTANCE_SHAPES.includes(shape)) throw new UsageError(`--shape must be one of ${INSTANCE_SHAPES.join(', ')}, not ${values.shape}`);
  if (!values.out) throw new UsageError('missing option --out DIR');
  const scriptIncludes = intOption(values['script-includes'], '--script-includes', 1000, 1, 200_000);
  const seed = intOption(values.seed, '--seed', 1, -2_147_483_648, 4_294_967_295);
  const outDir = path.resolve(values.out);
  const { readdirSync } = require('fs') as typeof import('fs');
  let existing: string[] = [];
  try {
    existing = readdirSync(outDir);
  } catch {
    existing = [];
  }
  // Two instances written into one folder would merge into one that neither seed describes.
  if (existing.length && !values.force) throw new UsageError(`--out ${outDir} is not empty (add --force to write into it anyway)`);
  const { generateInstance } = require('./training/synth') as typeof import('./training/synth');
  const summary = await generateInstance({ outDir, scriptIncludes, seed, shape });
  process.stdout.write(
    values.json
      ? JSON.stringify(summary, null, 2) + '\n'
      : `wrote ${summary.scriptIncludes} Script Includes and ${summary.callers} callers (${summary.callSites} call sites, ${summary.scopes.length} scopes) in ${(summary.ms / 1000).toFixed(1)} s to ${values.out}\n`,
  );
  return 0;
}

async function indexQuietly(root: string, persist: boolean): Promise<ApiIndex> {
  const index = new ApiIndex();
  await new Indexer(index, { root, settings: defaultSettings(), editor: consoleEditor('warn'), persist }).indexAll();
  return index;
}

async function queryCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { workspace: { type: 'string', short: 'w' }, file: { type: 'string' }, line: { type: 'string' }, character: { type: 'string' }, json: { type: 'boolean' } },
  });
  if (!values.file || values.line === undefined || values.character === undefined) throw new UsageError('missing option: --file F --line L --character C (0-based line and character)');
  const line = intOption(values.line, '--line', 0, 0);
  const character = intOption(values.character, '--character', 0, 0);
  const { Session } = require('./session') as typeof import('./session');
  const { featureState } = require('./features/common') as typeof import('./features/common');
  const { explain } = require('./features/explain') as typeof import('./features/explain');
  const { pathToFileURL } = require('url') as typeof import('url');
  const { readFile } = require('fs/promises') as typeof import('fs/promises');
  const root = folderOption(values.workspace, '--workspace');
  const file = path.resolve(root, values.file);
  const { existsSync, statSync } = require('fs') as typeof import('fs');
  if (!existsSync(file) || !statSync(file).isFile()) throw new UsageError(`--file ${file}: no such file`);
  const session = new Session(consoleEditor('warn'));
  const ws = session.addWorkspace(root);
  await ws.startIndexing();
  // The explain view shows the steady state: the ranking the workspace learned, if it kept one.
  await ws.learning;
  const uri = pathToFileURL(file).toString();
  session.documents.open(uri, file.endsWith('.xml') ? 'xml' : 'javascript', 1, await readFile(file, 'utf8'));
  const result = await explain(featureState(session), [uri, { line, character }]);
  await session.dispose();
  if (!result) {
    process.stderr.write(`no script at ${values.file}:${values.line}:${values.character}\n`);
    return 1;
  }
  if (values.json) {
    process.stdout.write(JSON.stringify(result, null, 2) + '\n');
    return 0;
  }
  const c = result.context;
  const lines = [
    `position   ${c.kind}${c.typed ? ` (typed '${c.typed}')` : ''} in ${c.recordType}, ${c.side} side, scope ${c.scope}${c.collection ? `, table ${c.collection}` : ''}`,
    `query      ${result.query.terms.slice(0, 12).map(([t, w]) => `${t}:${w.toFixed(1)}`).join(' ')}`,
    `timings    ${result.timings.map((t) => `${t.stage} ${t.ms.toFixed(2)}`).join(', ')} ms`,
    ...result.trace.map((t) => `trace      ${t}`),
    '',
  ];
  const stageNames = ['lexical', 'usage', 'dense', 'fused', 'rerank'];
  const fmtStage = (s?: { score: number; rank: number | null }) => (s && s.rank !== null ? `${s.rank}` : '-');
  lines.push(
    table(
      ['#', 'API', 'method', ...stageNames.map((s) => `${s} rank`)],
      result.candidates.slice(0, 20).map((x) => [x.rank, x.apiName, x.method ?? '', ...stageNames.map((s) => fmtStage(x.stages[s]))]),
    ),
  );
  process.stdout.write(lines.join('\n') + '\n');
  return 0;
}

async function casesCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { workspace: { type: 'string', short: 'w' }, out: { type: 'string' }, limit: { type: 'string' }, seed: { type: 'string' } },
  });
  if (!values.out) throw new UsageError('missing option --out FILE');
  const root = folderOption(values.workspace, '--workspace');
  const limit = values.limit === undefined ? undefined : intOption(values.limit, '--limit', 0, 1);
  const seed = values.seed === undefined ? undefined : intOption(values.seed, '--seed', 1, -2_147_483_648, 4_294_967_295);
  const { buildCases, writeCases } = require('./rank/cases') as typeof import('./rank/cases');
  const index = await indexQuietly(root, true);
  process.stderr.write(`building cases from the call sites of ${root}\n`);
  const { cases, skipped } = await buildCases(root, index, { limit, seed });
  await writeCases(path.resolve(values.out), cases);
  const why = Object.entries(skipped).map(([k, v]) => `${v} ${k}`).join(', ');
  process.stdout.write(`wrote ${cases.length} leak-free cases to ${values.out}${why ? ` (skipped: ${why})` : ''}\n`);
  return 0;
}

async function evalCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      workspace: { type: 'string', short: 'w' },
      corpus: { type: 'string', multiple: true },
      cases: { type: 'string' },
      limit: { type: 'string' },
      json: { type: 'string' },
      typed: { type: 'string' },
      ablations: { type: 'boolean' },
      model: { type: 'string' },
    },
  });
  // `--corpus A B C` and `--corpus A --corpus B` both name several workspaces.
  if (positionals.length && !values.corpus) throw new UsageError(`unexpected argument '${positionals[0]}'`);
  const corpora = [...(values.corpus ?? []), ...positionals];
  const typedChars = (values.typed ?? '0,2').split(',').map(Number);
  if (typedChars.some((k) => !Number.isInteger(k) || k < 0 || k > 50)) throw new UsageError(`--typed takes whole numbers of characters, like 0,2 (got '${values.typed}')`);
  const limit = values.limit === undefined ? undefined : Number(values.limit);
  if (limit !== undefined && (!Number.isInteger(limit) || limit < 1)) throw new UsageError(`--limit takes a positive whole number (got '${values.limit}')`);
  const { existsSync, statSync } = require('fs') as typeof import('fs');
  const isDir = (p: string) => existsSync(p) && statSync(p).isDirectory();
  const { formatReport, writeReport, averageReports } = require('./eval/report') as typeof import('./eval/report');
  const { CompactReranker, SHIPPED_COMPACT } = require('./rerank/reranker') as typeof import('./rerank/reranker');
  const modelPath = values.model ? path.resolve(values.model) : SHIPPED_COMPACT;
  const loaded = await CompactReranker.load(modelPath, 'compact-reranker');
  if (!loaded.ok) process.stderr.write(`${loaded.error}; the full pipelines are left out\n`);
  const reranker = loaded.ok ? loaded.reranker : undefined;
  const progress = (line: string) => process.stderr.write(`${line}\n`);
  // Workspace learning fine-tunes the model being measured, from the weights written beside it.
  const besideModel = modelPath.replace(/\.onnx$/i, '.json');
  const weightsPath = besideModel !== modelPath && existsSync(besideModel) ? besideModel : undefined;
  if (reranker && !weightsPath) progress(`no weights beside ${modelPath}: full+learned fits the fusion weights and the blend only`);
  try {
    if (corpora.length) {
      // Real-code eval: each workspace's own call sites are its cases.
      const roots = corpora.map((c) => path.resolve(c));
      const missing = roots.find((r) => !isDir(r));
      if (missing) throw new UsageError(`--corpus ${missing}: no such folder`);
      const { buildCases } = require('./rank/cases') as typeof import('./rank/cases');
      const reports: Array<{ name: string; report: import('./eval/report').EvalReport }> = [];
      for (const root of roots) {
        progress(`${path.basename(root)}: indexing`);
        const index = await indexQuietly(root, true);
        const { cases, skipped } = await buildCases(root, index, { limit: limit ?? 2000 });
        const why = Object.entries(skipped).map(([k, v]) => `${v} ${k}`).join(', ');
        progress(`${path.basename(root)}: ${cases.length} cases${why ? ` (skipped: ${why})` : ''}`);
        const report = await evalWorkspace(index, root, cases, reranker, weightsPath, !!values.ablations, typedChars, progress);
        reports.push({ name: path.basename(root), report });
        process.stdout.write(`## ${path.basename(root)} (${root})\n\n${formatReport(report)}\n`);
      }
      if (reports.length > 1) process.stdout.write(`## macro average over ${reports.length} corpora\n\n${formatReport(averageReports(reports.map((r) => r.report)))}`);
      if (values.json) await writeReport(path.resolve(values.json), { corpora: reports });
      return 0;
    }
    if (!values.cases) throw new UsageError('missing option --cases FILE (or --corpus DIR to build the cases of each workspace)');
    const root = path.resolve(values.workspace ?? '.');
    if (!isDir(root)) throw new UsageError(`--workspace ${root}: no such folder`);
    const casesFile = path.resolve(values.cases);
    if (!existsSync(casesFile)) throw new UsageError(`--cases ${values.cases}: no such file`);
    const { readCases } = require('./rank/cases') as typeof import('./rank/cases');
    const { cases, problems } = await readCases(casesFile);
    for (const p of problems.slice(0, 5)) process.stderr.write(`${p.path}: ${p.message}\n`);
    if (!cases.length) throw new UsageError(`--cases ${values.cases}: no readable case`);
    const index = await indexQuietly(root, true);
    const report = await evalWorkspace(index, root, cases, reranker, weightsPath, !!values.ablations, typedChars, progress);
    const text = formatReport(report);
    process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
    if (values.json) await writeReport(path.resolve(values.json), report);
    return 0;
  } finally {
    await reranker?.release();
  }
}

/** Every pipeline (and, when asked, every ablation) over one indexed workspace, in one run. */
async function evalWorkspace(
  index: ApiIndex,
  root: string,
  cases: import('./rank/cases').EvalCase[],
  reranker: import('./rerank/reranker').Reranker | undefined,
  weightsPath: string | undefined,
  ablations: boolean,
  typedChars: number[],
  progress: (line: string) => void,
): Promise<import('./eval/report').EvalReport> {
  const { runEval } = require('./eval/runner') as typeof import('./eval/runner');
  const { createBm25Baseline } = require('./eval/bm25-baseline') as typeof import('./eval/bm25-baseline');
  const { EvalWorkspace, retrievalPipeline, fullPipeline, learnedPipeline } = require('./eval/pipelines') as typeof import('./eval/pipelines');
  const { DEFAULT_RETRIEVAL_OPTIONS } = require('./retrieval/retrieval-index') as typeof import('./retrieval/retrieval-index');
  const { SERVING_RANK_OPTIONS } = require('./rank/ranker') as typeof import('./rank/ranker');
  const ws = new EvalWorkspace(index);
  const extra: Array<{ dispose(): void }> = [];
  const pipelines: import('./eval/types').EvalPipeline[] = [createBm25Baseline(index, root), retrievalPipeline(ws)];
  if (reranker) {
    const { mlpFromJson } = require('./rerank/mlp') as typeof import('./rerank/mlp');
    const { readFileSync } = require('fs') as typeof import('fs');
    const start = weightsPath ? mlpFromJson(readFileSync(weightsPath, 'utf8')) : undefined;
    if (start && !start.ok) progress(`${weightsPath}: ${start.error}; full+learned fits the fusion weights and the blend only`);
    pipelines.push(fullPipeline(ws, reranker), learnedPipeline(ws, reranker, cases, 'full+learned', SERVING_RANK_OPTIONS, start?.ok ? start.model : undefined));
    if (ablations) pipelines.push(learnedPipeline(ws, reranker, cases, 'full+learned-weights-only'));
  }
  if (ablations) {
    pipelines.push(retrievalPipeline(ws, 'retrieval-no-dense', new Set(['dense'])));
    pipelines.push(retrievalPipeline(ws, 'retrieval-no-usage', new Set(['usage'])));
    pipelines.push(retrievalPipeline(ws, 'retrieval-no-record-name', new Set(['record'])));
    pipelines.push(retrievalPipeline(ws, 'retrieval-no-hole-shape', new Set(['hole'])));
    pipelines.push(retrievalPipeline(ws, 'retrieval-no-sequence', new Set(['sequence'])));
    pipelines.push(retrievalPipeline(ws, 'retrieval-no-hole-words', new Set(['hole-words'])));
    pipelines.push(retrievalPipeline(ws, 'retrieval-no-assigned-name', new Set(['assigned-name'])));
    pipelines.push(retrievalPipeline(ws, 'retrieval-no-habit-candidates', new Set(['habits'])));
    const noDocs = new EvalWorkspace(index, { ...DEFAULT_RETRIEVAL_OPTIONS, docs: { jsdoc: false } });
    const noBody = new EvalWorkspace(index, { ...DEFAULT_RETRIEVAL_OPTIONS, docs: { jsdoc: true, body: false } });
    extra.push(noDocs, noBody);
    pipelines.push(retrievalPipeline(noDocs, 'retrieval-no-jsdoc'));
    pipelines.push(retrievalPipeline(noBody, 'retrieval-no-body'));
    if (reranker) {
      pipelines.push(fullPipeline(ws, reranker, 'full-blend-0.5', { ...SERVING_RANK_OPTIONS, rerankWeight: 0.5 }));
      // What eval measured before there was one ranking path: no platform APIs among the candidates.
      pipelines.push(fullPipeline(ws, reranker, 'full-without-platform-apis', { ...SERVING_RANK_OPTIONS, includePlatform: false }));
    }
  }
  const report = await runEval(pipelines, cases, { typedChars, onRow: (row) => progress(`  ${row.pipeline} typed ${row.typedChars}: top-5 ${(100 * row.metrics.top5).toFixed(1)}%`) });
  for (const x of [ws, ...extra]) x.dispose();
  return report;
}

async function trainCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { workspace: { type: 'string', short: 'w' }, out: { type: 'string' }, quick: { type: 'boolean' } },
  });
  const { trainReranker, DEFAULT_TRAIN_CONFIG } = require('./training/train-reranker') as typeof import('./training/train-reranker');
  const { writeShippedModel, fineTuneOnWorkspace } = require('./training/model-files') as typeof import('./training/model-files');
  const log = (line: string) => process.stderr.write(`${line}\n`);
  if (values.workspace) {
    const result = await fineTuneOnWorkspace(folderOption(values.workspace, '--workspace'), log);
    process.stdout.write(result.summary + '\n');
    return 0;
  }
  const config = values.quick
    ? { ...DEFAULT_TRAIN_CONFIG, trainSeeds: [101], validationSeeds: [201], scriptIncludes: 400, casesPerSource: 300, supervisedEpochs: 10, reinforceEpochs: 2 }
    : DEFAULT_TRAIN_CONFIG;
  const { model, onnx, report } = await trainReranker(config, log);
  const written = await writeShippedModel(values.out ? path.resolve(values.out) : undefined, model, onnx, report);
  process.stdout.write(`wrote ${written.join(', ')}\n`);
  return 0;
}

async function benchCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      sizes: { type: 'string' },
      'platform-sizes': { type: 'string' },
      runs: { type: 'string' },
      completions: { type: 'string' },
      out: { type: 'string' },
      quick: { type: 'boolean' },
      'no-typescript': { type: 'boolean' },
    },
  });
  const { runBench } = require('./bench/run') as typeof import('./bench/run');
  const quick = !!values.quick;
  await runBench(
    {
      sizes: (values.sizes ?? (quick ? '1000' : '1000,10000,30000')).split(',').map((s) => intOption(s, '--sizes', 0, 10, 1_000_000)),
      // The platform-shaped instance beside the scoped curve; `--platform-sizes ''` leaves it out.
      platformSizes: (values['platform-sizes'] ?? (quick ? '' : '10000'))
        .split(',')
        .filter((s) => s.trim() !== '')
        .map((s) => intOption(s, '--platform-sizes', 0, 10, 1_000_000)),
      runs: intOption(values.runs, '--runs', quick ? 1 : 3, 1, 100),
      completions: intOption(values.completions, '--completions', quick ? 60 : 150, 1, 100_000),
      out: path.resolve(values.out ?? 'bench/results.json'),
      seed: 42,
      includeDemo: true,
      includeTypescript: !values['no-typescript'],
    },
    (line) => process.stderr.write(`${line}\n`),
  );
  return 0;
}

function formatIndexReport(r: IndexReport, index: ApiIndex): string {
  const lines: string[] = [];
  lines.push(`workspace  ${r.root}`);
  lines.push(`files      ${r.files} scanned; ${r.timing.extracted} parsed, ${r.timing.sameHash} unchanged, ${r.timing.reused} from cache (${r.timing.cache})`);
  lines.push(`time       ${r.timing.ms} ms`);
  lines.push('');
  lines.push(table(['layout', 'files', 'Script Includes', 'callers'], Object.entries(r.layouts).map(([k, v]) => [k, v.files, v.scriptIncludes, v.callers])));
  lines.push('');
  const si = r.scriptIncludes;
  lines.push(`Script Includes: ${si.total} (${si.active} active, ${si.clientCallable} client-callable, ${si.withJsDoc} with JSDoc), ${si.methods} methods, ${r.graph.scopes} scopes, ${r.graph.packages} packages`);
  lines.push(table(['kind', 'count'], Object.entries(si.byKind).map(([k, v]) => [k, v ?? 0])));
  lines.push('');
  lines.push(table(['scope', 'Script Includes'], Object.entries(si.byScope).sort().map(([k, v]) => [k, v])));
  lines.push('');
  lines.push(`call sites: ${r.callSites.resolved} reach a Script Include (${r.callSites.total} candidate calls extracted)`);
  lines.push(table(['form', 'count'], Object.entries(r.callSites.byForm).map(([k, v]) => [k, v])));
  lines.push('');
  lines.push(table(['caller record type', 'count'], Object.entries(r.callers).sort((a, b) => b[1] - a[1]).map(([k, v]) => [k, v])));
  lines.push('');
  const sev = Object.entries(r.problems.bySeverity).map(([k, v]) => `${v} ${k}`).join(', ');
  lines.push(`problems: ${r.problems.total}${sev ? ` (${sev})` : ''}`);
  for (const p of r.problems.first.filter((x) => x.severity !== 'info').slice(0, 10)) lines.push(`  ${p.severity}: ${p.path}: ${p.message}`);
  void index;
  return lines.join('\n') + '\n';
}

/** A plain text table with right-aligned numbers. */
export function table(header: string[], rows: Array<Array<string | number>>): string {
  const cells = [header, ...rows.map((r) => r.map(String))];
  const widths = header.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  const fmt = (r: string[], isHeader: boolean) =>
    r.map((c, i) => (!isHeader && typeof rows[0]?.[i] === 'number' ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ').trimEnd();
  return [fmt(header, true), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.slice(1).map((r) => fmt(r, false))].join('\n');
}
