/**
 * Reads one workspace file into ServiceNow records: the I/O edge of the workspace layer. It
 * decides the layout from the path, reads and decodes the bytes, and hands the text to the pure
 * readers (xml.ts, fluent.ts, the path rules of classify.ts). Every failure is a Problem: a
 * file that vanished between scan and read, a binary file, an unreadable one.
 */
import { createHash } from 'node:crypto';
import { closeSync, constants as fsConstants, createReadStream, fstatSync, openSync, promises as fs, readSync } from 'node:fs';
import * as path from 'node:path';
import * as posix from 'node:path/posix';
import { DefinedSchema, Layout, Problem, SourceRecord } from '../model';
import { parseFluent } from '../syntax/fluent';
import { classifyPath, PathInfo, ScriptPathInfo } from './classify';
import { FluentRecordPlan, fluentSchema, parseNowConfig, planFluentRecords } from './fluent';
import { decodeBytes } from './text';
import { readXmlRecords } from './xml';

export interface ReadOptions {
  /** Characters of script that are parsed; longer scripts give name-only records. */
  maxFileSize: number;
  /**
   * Scopes of now.config.json files by folder (workspace-relative), shared over one indexing pass
   * so each folder is looked up once. The owner clears it when a now.config.json changes.
   */
  scopeCache?: Map<string, string | undefined>;
  /**
   * Read each file with blocking calls: for an extraction worker, whose thread has nothing else to
   * do meanwhile. Each asynchronous call is a trip through libuv's thread pool, and reading a file
   * took five of them (stat, then open, stat, read and close in `readFile`): on a cold start at
   * 10,000 Script Includes, that was about a sixth of each extraction worker's time.
   */
  blocking?: boolean;
}

export interface ReadResult {
  layout: Layout;
  records: SourceRecord[];
  problems: Problem[];
  /** Other files read into these records (Fluent `Now.include`), workspace-relative. */
  includes: string[];
  /** sha256 hex of the bytes, combined with the included files' bytes. */
  hash: string;
  /** Tables, fields and properties the file's records define (XML dictionary records, Fluent `Table`). */
  schema?: DefinedSchema;
}

/** Files above this size are never read into memory: max(8 x maxFileSize, 32 MB). */
export function hardSizeLimit(maxFileSize: number): number {
  return Math.max(8 * maxFileSize, 32 * 1024 * 1024);
}

/** Reads one workspace file into ServiceNow records. Never throws. */
export async function readWorkspaceFile(root: string, relPath: string, opts: ReadOptions): Promise<ReadResult> {
  const rel = normaliseRelPath(relPath);
  const info = rel === undefined ? undefined : classifyPath(rel);
  if (rel === undefined || info === undefined) {
    return emptyResult('plain', [{ path: relPath, message: 'not a workspace source file (.js, .xml, .now.ts, now.config.json)', severity: 'info' }]);
  }
  try {
    return await readClassified(root, rel, info, opts);
  } catch (err) {
    // The readers return problems rather than throw; this is the last guard of the contract.
    return emptyResult(info.layout, [{ path: rel, message: `could not read: ${(err as Error).message}`, severity: 'error' }]);
  }
}

async function readClassified(root: string, rel: string, info: PathInfo, opts: ReadOptions): Promise<ReadResult> {
  const limit = hardSizeLimit(opts.maxFileSize);
  const file = await load(root, rel, limit, opts.blocking);
  if (file.kind === 'error') return emptyResult(info.layout, [file.problem]);
  if (file.kind === 'too-large') {
    const problems: Problem[] = [{
      path: rel,
      message: `file has ${file.size} bytes, more than the ${limit} bytes read at all; indexed by name only`,
      severity: 'warning',
    }];
    const records = info.kind === 'js' ? [nameOnlyRecord(info, await scopeOfScript(root, rel, info, opts))] : [];
    return { layout: info.layout, records, problems, includes: [], hash: file.hash };
  }
  const decoded = decodeBytes(file.bytes);
  const hash = sha256(file.bytes);
  if (decoded.kind === 'binary') {
    return { ...emptyResult(info.layout, [{ path: rel, message: `binary file (${decoded.reason}); not read`, severity: 'warning' }]), hash };
  }
  const problems: Problem[] = [];
  if (decoded.invalidUtf8) problems.push({ path: rel, message: 'invalid UTF-8; undecodable bytes were replaced', severity: 'info' });
  const text = decoded.text;

  switch (info.kind) {
    case 'js': {
      const record = scriptRecord(info, text, await scopeOfScript(root, rel, info, opts));
      return { layout: info.layout, records: [checkSize(record, rel, opts, problems)], problems, includes: [], hash };
    }
    case 'xml': {
      const xml = readXmlRecords(text, rel, { maxFileSize: opts.maxFileSize });
      const out: ReadResult = { layout: 'xml', records: xml.records, problems: [...problems, ...xml.problems], includes: [], hash };
      if (hasSchema(xml.schema)) out.schema = xml.schema;
      return out;
    }
    case 'now-config': {
      problems.push(...parseNowConfig(text, rel).problems);
      return { layout: 'fluent', records: [], problems, includes: [], hash };
    }
    case 'now-ts':
      return readFluentFile(root, rel, text, file.bytes, opts, problems);
  }
}

async function readFluentFile(
  root: string,
  rel: string,
  text: string,
  bytes: Buffer,
  opts: ReadOptions,
  problems: Problem[],
): Promise<ReadResult> {
  if (text.length > opts.maxFileSize) {
    problems.push({ path: rel, message: `Fluent file has ${text.length} characters (more than index.maxFileSize); not parsed`, severity: 'warning' });
    return { layout: 'fluent', records: [], problems, includes: [], hash: sha256(bytes) };
  }
  const scope = await nowConfigScope(root, posix.dirname(rel), opts.scopeCache, opts.blocking);
  if (scope === undefined) problems.push({ path: rel, message: 'no now.config.json above this file; scope taken as global', severity: 'info' });
  const fluent = parseFluent(text);
  const planned = planFluentRecords(fluent, rel, scope ?? 'global');
  const schema = fluentSchema(fluent, scope ?? 'global');
  problems.push(...planned.problems);
  const hasher = createHash('sha256').update(bytes);
  const includes: string[] = [];
  const included = new Map<string, IncludedText>();
  const records: SourceRecord[] = [];
  for (const plan of planned.plans) {
    const record = await fillScript(root, rel, plan, opts, included, problems);
    records.push(checkSize(record, rel, opts, problems));
  }
  // Included files in a stable order, so the combined hash depends on content only.
  for (const [p, inc] of [...included.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    includes.push(p);
    hasher.update(`\0${p}\0${inc.hash}`);
  }
  const out: ReadResult = { layout: 'fluent', records, problems, includes, hash: hasher.digest('hex') };
  if (hasSchema(schema)) out.schema = schema;
  return out;
}

function hasSchema(s: DefinedSchema): boolean {
  return s.tables.length + s.fields.length + s.properties.length > 0;
}

interface IncludedText {
  text?: string;
  hash: string;
}

/** Fills a plan's script from its inline text or the first of its candidate files that exists. */
async function fillScript(
  root: string,
  rel: string,
  plan: FluentRecordPlan,
  opts: ReadOptions,
  included: Map<string, IncludedText>,
  problems: Problem[],
): Promise<SourceRecord> {
  const { record, source } = plan;
  if (source.kind === 'inline') return { ...record, script: source.text, scriptStart: source.start };
  if (source.kind === 'none') return record;
  for (const candidate of source.candidates) {
    let inc = included.get(candidate);
    if (!inc) {
      const loaded = await load(root, candidate, hardSizeLimit(opts.maxFileSize), opts.blocking);
      if (loaded.kind === 'error' && loaded.code === 'ENOENT') continue;
      inc = includedText(candidate, loaded, problems);
      included.set(candidate, inc);
    }
    return inc.text === undefined ? { ...record, scriptPath: candidate, oversized: true } : { ...record, script: inc.text, scriptPath: candidate };
  }
  // Listed even though missing, so creating the file later re-reads this one.
  const wanted = source.candidates[0];
  included.set(wanted, { hash: 'missing' });
  problems.push({ path: rel, message: `${record.name}: included file ${wanted} does not exist`, severity: 'warning' });
  return record;
}

function includedText(candidate: string, loaded: Loaded, problems: Problem[]): IncludedText {
  if (loaded.kind === 'error') {
    problems.push({ ...loaded.problem, message: `included file: ${loaded.problem.message}` });
    return { hash: 'unreadable' };
  }
  if (loaded.kind === 'too-large') {
    problems.push({ path: candidate, message: `included file has ${loaded.size} bytes; indexed by name only`, severity: 'warning' });
    return { hash: loaded.hash };
  }
  const decoded = decodeBytes(loaded.bytes);
  if (decoded.kind === 'binary') {
    problems.push({ path: candidate, message: `included file is binary (${decoded.reason}); not read`, severity: 'warning' });
    return { hash: sha256(loaded.bytes) };
  }
  return { text: decoded.text, hash: sha256(loaded.bytes) };
}

/** Replaces a script longer than maxFileSize by a name-only record, with one Problem. */
function checkSize(record: SourceRecord, rel: string, opts: ReadOptions, problems: Problem[]): SourceRecord {
  if (record.script.length <= opts.maxFileSize) return record;
  problems.push({
    path: rel,
    message: `${record.name}: script has ${record.script.length} characters (more than index.maxFileSize ${opts.maxFileSize}); indexed by name only`,
    severity: 'warning',
  });
  return { ...record, script: '', oversized: true };
}

function scriptRecord(info: ScriptPathInfo, script: string, scope: string): SourceRecord {
  const record: SourceRecord = {
    table: info.table,
    name: info.name,
    scope,
    active: true,
    side: info.side,
    field: info.field,
    script,
    scriptStart: { line: 0, character: 0 },
    layout: info.layout,
  };
  // Only a Script Include has an API name, and for one read from a path it can only be derived.
  if (info.table === 'sys_script_include') record.apiName = `${scope}.${info.name}`;
  return record;
}

function nameOnlyRecord(info: ScriptPathInfo, scope: string): SourceRecord {
  return { ...scriptRecord(info, '', scope), oversized: true };
}

/** A script's scope: a scope folder on its path, else its SDK project's now.config.json, else global. */
async function scopeOfScript(root: string, rel: string, info: ScriptPathInfo, opts: ReadOptions): Promise<string> {
  if (info.scope) return info.scope;
  return (await nowConfigScope(root, posix.dirname(rel), opts.scopeCache, opts.blocking)) ?? 'global';
}

/** The scope of the nearest now.config.json in `dir` or above it, up to the workspace root. */
async function nowConfigScope(root: string, dir: string, cache?: Map<string, string | undefined>, blocking?: boolean): Promise<string | undefined> {
  const key = dir === '.' ? '' : dir;
  if (cache?.has(key)) return cache.get(key);
  let scope: string | undefined;
  const configPath = key ? `${key}/now.config.json` : 'now.config.json';
  const loaded = await load(root, configPath, 1024 * 1024, blocking);
  if (loaded.kind === 'bytes') {
    const decoded = decodeBytes(loaded.bytes);
    scope = decoded.kind === 'text' ? parseNowConfig(decoded.text, configPath).scope : undefined;
  } else if (key !== '') {
    scope = await nowConfigScope(root, posix.dirname(key), cache, blocking);
  }
  cache?.set(key, scope);
  return scope;
}

type Loaded =
  | { kind: 'bytes'; bytes: Buffer }
  | { kind: 'too-large'; size: number; hash: string }
  | { kind: 'error'; code?: string; problem: Problem };

/** `loadFile`, with blocking calls when asked (a file over `limit` is still hashed as a stream). */
async function load(root: string, rel: string, limit: number, blocking: boolean | undefined): Promise<Loaded> {
  return (blocking ? loadFileBlocking(root, rel, limit) : undefined) ?? loadFile(root, rel, limit);
}

/** Reads a workspace file's bytes, refusing files over `limit` (hashed as a stream instead). */
async function loadFile(root: string, rel: string, limit: number): Promise<Loaded> {
  const abs = path.join(root, ...rel.split('/'));
  try {
    const stat = await fs.stat(abs);
    if (!stat.isFile()) return { kind: 'error', problem: { path: rel, message: 'not a regular file', severity: 'warning' } };
    if (stat.size > limit) return { kind: 'too-large', size: stat.size, hash: await sha256OfFile(abs) };
    return { kind: 'bytes', bytes: await fs.readFile(abs) };
  } catch (err) {
    return ioFailure(rel, err as NodeJS.ErrnoException);
  }
}

/**
 * `loadFile` with blocking calls: open (never waiting on a FIFO: non-blocking), stat the handle,
 * read, close. Undefined for a file over `limit`, which `loadFile` hashes as a stream.
 */
function loadFileBlocking(root: string, rel: string, limit: number): Loaded | undefined {
  const abs = path.join(root, ...rel.split('/'));
  let fd: number | undefined;
  try {
    fd = openSync(abs, fsConstants.O_RDONLY | fsConstants.O_NONBLOCK);
    const stat = fstatSync(fd);
    if (!stat.isFile()) return { kind: 'error', problem: { path: rel, message: 'not a regular file', severity: 'warning' } };
    if (stat.size > limit) return undefined;
    const bytes = Buffer.allocUnsafe(stat.size);
    let at = 0;
    while (at < bytes.length) {
      const n = readSync(fd, bytes, at, bytes.length - at, at);
      if (n === 0) break;
      at += n;
    }
    return { kind: 'bytes', bytes: at === bytes.length ? bytes : bytes.subarray(0, at) };
  } catch (err) {
    return ioFailure(rel, err as NodeJS.ErrnoException);
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** A failed read as a problem of the file: a file gone since the scan is news, not a warning. */
function ioFailure(rel: string, err: NodeJS.ErrnoException): Loaded {
  return { kind: 'error', code: err.code, problem: { path: rel, message: ioMessage(err.code, err), severity: err.code === 'ENOENT' ? 'info' : 'warning' } };
}

function ioMessage(code: string | undefined, err: Error): string {
  switch (code) {
    case 'ENOENT':
      return 'file no longer exists (ENOENT)';
    case 'EACCES':
    case 'EPERM':
      return `permission denied (${code})`;
    case 'ELOOP':
      return 'symbolic link loop (ELOOP)';
    default:
      return `could not read file: ${err.message}`;
  }
}

function sha256OfFile(abs: string): Promise<string> {
  return new Promise((resolve) => {
    const hash = createHash('sha256');
    createReadStream(abs)
      .on('data', (chunk) => hash.update(chunk))
      .on('error', () => resolve(''))
      .on('end', () => resolve(hash.digest('hex')));
  });
}

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

function emptyResult(layout: Layout, problems: Problem[]): ReadResult {
  return { layout, records: [], problems, includes: [], hash: '' };
}

/** `/`-separated, no leading `./`; undefined when the path leaves the workspace. */
function normaliseRelPath(relPath: string): string | undefined {
  // A backslash separates folders on Windows only; elsewhere it is an ordinary character of a name.
  const p = posix.normalize(path.sep === '\\' ? relPath.replace(/\\/g, '/') : relPath);
  if (p === '..' || p.startsWith('../') || posix.isAbsolute(p) || p === '.') return undefined;
  return p;
}
