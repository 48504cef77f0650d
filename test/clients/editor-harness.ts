/**
 * What the real-editor tests share: a private copy of the demo workspace, running an editor
 * binary under a deadline, and the assertions on the report each editor's check script writes.
 */
import * as assert from 'node:assert/strict';
import { spawn, spawnSync } from 'child_process';
import { promises as fs } from 'fs';
import * as path from 'path';
import { copyDemoWorkspace as copyDemo } from '../helpers/demo';

// out/test/clients -> repository root
export const REPO = path.resolve(__dirname, '..', '..', '..');

/** A business rule of the demo whose `new IncidentUtils()` the checks cut back to `new `. */
export const DEMO_FILE = 'scriptsync/acmedev/x_acme_itsm/sys_script/Open problem for recurring CI incidents.script.js';
/** A client script kept as a Studio XML record; its `new GlideAjax('...')` names a Script Include of its scope. */
export const DEMO_XML = 'source-control/x_acme_hr/update/sys_script_client_ba7f17a721f04f37812e6afbfe294580.xml';

/** What an editor check script writes (test/clients/*-check.*). */
export interface EditorReport {
  attached?: boolean;
  root?: string;
  symbols?: string[];
  completionProvider?: boolean;
  completion?: string[];
  /** Each completion item's sortText (its label when it has none), in the same order. */
  sortText?: string[];
  logs?: string[];
  /** Labels offered inside `new GlideRecord('`. */
  tables?: string[];
  /** The lines the explain command showed, and the buffer's filetype or major mode. */
  explain?: string[];
  explainFiletype?: string;
  /** Labels offered inside `new GlideAjax('` of the XML record's script. */
  xml?: string[];
  error?: string;
  [k: string]: unknown;
}

/** The first line of `<bin> --version`, or undefined when the binary is not installed. */
export function editorVersion(bin: string): string | undefined {
  const r = spawnSync(bin, ['--version'], { encoding: 'utf8', timeout: 10_000 });
  if (r.error || r.status !== 0) return undefined;
  return r.stdout.split('\n')[0].trim();
}

/**
 * Copies examples/demo-instance into a fresh temp folder: the server writes its cache into the
 * workspace. An empty `.deepcodeseek/` marks the copy's root, as it does in a workspace the
 * server has seen before, so the clients' root detection is exercised rather than bypassed.
 */
export async function copyDemoWorkspace(): Promise<string> {
  return copyDemo('dcs-editor-');
}

export interface Run {
  code: number | null;
  output: string;
  timedOut: boolean;
}

/** Runs an editor to completion, killing it after `timeoutMs`; stdout and stderr are kept for failure messages. */
export function runEditor(bin: string, args: string[], opts: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs: number }): Promise<Run> {
  return new Promise((resolve) => {
    const proc = spawn(bin, args, { cwd: opts.cwd, env: { ...process.env, ...opts.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    let timedOut = false;
    proc.stdout.on('data', (d) => (output += d));
    proc.stderr.on('data', (d) => (output += d));
    const timer = setTimeout(() => {
      timedOut = true;
      proc.kill('SIGKILL');
    }, opts.timeoutMs);
    proc.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output, timedOut });
    });
  });
}

export async function readReport(file: string, run: Run): Promise<EditorReport> {
  const text = await fs.readFile(file, 'utf8').catch(() => undefined);
  assert.ok(text, `the editor wrote no report (exit ${run.code}${run.timedOut ? ', timed out' : ''}):\n${run.output.slice(-2000)}`);
  return JSON.parse(text) as EditorReport;
}

function mentions(labels: string[] | undefined, name: string): boolean {
  // Whole word: `MajorIncidentUtils` must not count for `IncidentUtils`.
  return (labels ?? []).some((l) => new RegExp(`(^|[^A-Za-z0-9_$])${name}([^A-Za-z0-9_$]|$)`).test(l));
}

/** The checks every editor must pass on the demo business rule. */
export function assertEditorReport(report: EditorReport, workspace: string): void {
  const context = JSON.stringify(report, null, 1).slice(0, 3000);
  assert.equal(report.error, undefined, `the check script failed: ${report.error}\n${context}`);
  assert.equal(report.attached, true, `the server did not attach:\n${context}`);
  assert.equal(path.resolve(report.root ?? ''), path.resolve(workspace), 'the workspace root was not found from the file');
  // The settings reached the server: log.level=debug makes it log each request's duration.
  assert.ok(
    (report.logs ?? []).some((l) => l.startsWith('workspace/symbol')),
    `no debug log line: the settings did not reach the server:\n${context}`,
  );
  assert.ok(mentions(report.symbols, 'IncidentUtils'), `workspace/symbol did not find IncidentUtils:\n${context}`);
  assert.equal(report.completionProvider, true, `the server does not advertise completion:\n${context}`);
  // As the editor shows them: by sortText. The code around the cut is about active incidents on a CI.
  const shown = (report.completion ?? []).map((label, i) => ({ label, key: report.sortText?.[i] ?? label }));
  shown.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const top5 = shown.slice(0, 5).map((s) => s.label);
  assert.ok(mentions(top5, 'IncidentUtils'), `completion after \`new \` did not rank IncidentUtils in the top 5: ${top5.join(', ')}\n${context}`);
}

/**
 * What both editors must show beyond Script Includes: table names inside `new GlideRecord('`, and
 * explain as markdown for people (a heading, the position with nothing typed after `new `, a table
 * of candidates), never a line of raw JSON.
 */
export function assertSchemaAndExplain(report: EditorReport): void {
  const context = JSON.stringify({ tables: report.tables?.slice(0, 10), explain: report.explain?.slice(0, 20) }, null, 1);
  assert.ok(mentions(report.tables?.slice(0, 5), 'incident'), `new GlideRecord(' did not offer incident in the first five:\n${context}`);
  assert.ok(!mentions(report.tables, 'IncidentUtils'), `Script Includes offered inside a table string:\n${context}`);
  const text = (report.explain ?? []).join('\n');
  assert.match(text, /\*\*Position:\*\* new in a /, `explain did not show the markdown position line with nothing typed:\n${context}`);
  assert.ok(!/typed `new`/.test(text), `explain saw \`new\` as typed (the position of the trailing space was sent):\n${context}`);
  assert.match(text, /^\|.*\|$/m, `explain shows no table of candidates:\n${context}`);
  assert.ok(!text.trimStart().startsWith('{'), `explain is raw JSON:\n${context}`);
  assert.ok(report.explainFiletype === 'markdown' || report.explainFiletype === 'special-mode' || report.explainFiletype === 'gfm-view-mode', `explain shown in ${report.explainFiletype}`);
}

/** Inside the `<script>` CDATA of a ServiceNow XML record, the editor completes as in a .js file. */
export function assertXmlCompletion(report: EditorReport): void {
  const context = JSON.stringify({ xml: report.xml?.slice(0, 10), error: report.error }, null, 1);
  assert.ok(mentions(report.xml?.slice(0, 3), 'HRAjaxUtils'), `no HRAjaxUtils inside new GlideAjax(' of the XML record:\n${context}`);
}
