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
  deepcodeseek synth --out DIR --script-includes N --seed S
                                                     write a synthetic ServiceNow instance
  deepcodeseek help                                  this text
`;

const COMMANDS: Record<string, Command> = {
  serve: serveCommand,
  index: indexCommand,
  synth: synthCommand,
  help: async () => {
    process.stdout.write(USAGE);
    return 0;
  },
};

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  const command = COMMANDS[name ?? 'help'];
  if (!command) {
    process.stderr.write(`deepcodeseek: unknown command '${name}'\n\n${USAGE}`);
    return 2;
  }
  try {
    return await command(rest);
  } catch (err) {
    if (err instanceof TypeError && /option|argument/i.test(err.message)) {
      process.stderr.write(`deepcodeseek ${name}: ${err.message}\n`);
      return 2;
    }
    throw err;
  }
}

async function serveCommand(args: string[]): Promise<number> {
  parseArgs({ args, options: { stdio: { type: 'boolean' }, 'node-ipc': { type: 'boolean' }, 'clientProcessId': { type: 'string' } }, strict: false });
  // Loaded lazily: the other commands should not pay for the LSP library.
  const { createConnection, StreamMessageReader, StreamMessageWriter } = require('vscode-languageserver/node') as typeof import('vscode-languageserver/node');
  const { startServer } = require('./server') as typeof import('./server');
  // stdout is the protocol channel: nothing else may write to it.
  console.log = (...a: unknown[]) => process.stderr.write(a.map(String).join(' ') + '\n');
  const connection = createConnection(new StreamMessageReader(process.stdin), new StreamMessageWriter(process.stdout));
  startServer(connection);
  return new Promise<number>(() => undefined);
}

async function indexCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { workspace: { type: 'string', short: 'w' }, json: { type: 'boolean' }, 'no-cache': { type: 'boolean' } },
  });
  const root = path.resolve(values.workspace ?? '.');
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
    options: { out: { type: 'string' }, 'script-includes': { type: 'string' }, seed: { type: 'string' }, json: { type: 'boolean' } },
  });
  if (!values.out) throw new TypeError('missing option --out DIR');
  const { generateInstance } = require('./training/synth') as typeof import('./training/synth');
  const summary = await generateInstance({
    outDir: path.resolve(values.out),
    scriptIncludes: Number(values['script-includes'] ?? 1000),
    seed: Number(values.seed ?? 1),
  });
  process.stdout.write(
    values.json
      ? JSON.stringify(summary, null, 2) + '\n'
      : `wrote ${summary.scriptIncludes} Script Includes and ${summary.callers} callers (${summary.callSites} call sites, ${summary.scopes.length} scopes) in ${(summary.ms / 1000).toFixed(1)} s to ${values.out}\n`,
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
