/**
 * Reads and extracts workspace files into FileEntries, either in-process or on a small pool of
 * worker threads. A cold index of a large instance spends nearly all its time here (reading,
 * XML parsing, tree-sitter parsing and analysis, each file independent of the others), so
 * spreading batches of paths over the cores shortens it almost in proportion.
 *
 * The unit of work, `extractFile`, is the same function on both paths, so the pool changes
 * where entries are computed and never what they are. Decisions that depend on the index's
 * state (size/mtime reuse, keeping a prior entry whose hash is unchanged) stay with the caller:
 * a job carries the prior hash only so that a worker can skip extracting a file the caller will
 * not use.
 *
 * This is an edge module: it does I/O through workspace/read.ts and starts threads.
 */
import { existsSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { keepHeapFlags } from '../memory';
import { FileEntry } from '../model';
import { extractRecord } from '../syntax/extract';
import { readWorkspaceFile, ReadOptions, ReadResult } from '../workspace/read';

/** One file to read: its workspace-relative path and the hash of the entry the index holds. */
export interface ExtractJob {
  path: string;
  priorHash?: string;
}

export type ExtractResult =
  /** Not a source file any more, or it vanished between scan and read. */
  | { kind: 'gone'; path: string }
  /** Its bytes hash to `ExtractJob.priorHash`: the prior entry stands, nothing was extracted. */
  | { kind: 'unchanged'; path: string; hash: string }
  | { kind: 'extracted'; path: string; entry: FileEntry };

/** What each worker is started with (its `workerData`). */
export interface WorkerSetup {
  root: string;
  maxFileSize: number;
}

export interface WorkerRequest {
  id: number;
  jobs: ExtractJob[];
}

/** A batch's results in job order, or why the batch failed as a whole. */
export type WorkerReply = { id: number; results: ExtractResult[] } | { id: number; error: string };

export interface ExtractAllOptions {
  root: string;
  jobs: readonly ExtractJob[];
  maxFileSize: number;
  /** Threads to use (never more than there are batches); 1 runs in-process. */
  workers: number;
  /** Paths per message: large enough to amortise messaging, small enough to balance the load. */
  batchSize?: number;
  /** Overrides the worker script (tests use it to start a failing worker). */
  workerFile?: string;
  /** One line per failure the pool recovered from. */
  log?: (message: string) => void;
  /** Called as results arrive, with how many just arrived (for progress). */
  onResults?: (count: number) => void;
  /**
   * Called once for every result, a batch at a time as batches arrive (in no fixed order):
   * `start` is the index of the batch's first job. Lets the index answer before the pass ends.
   */
  onBatch?: (start: number, results: readonly ExtractResult[]) => void;
}

/** Default threads for a cold index: one per core, at most 4 (beyond that I/O dominates). */
export function defaultWorkerCount(): number {
  // The main thread only hands out batches and receives entries, so it needs no core of its own.
  return Math.max(1, Math.min(os.availableParallelism(), 4));
}

/** Old-generation heap of one extraction worker. */
export const WORKER_HEAP_MB = 160;

export const DEFAULT_BATCH_SIZE = 128;

/** Files read at once on one thread: enough to overlap I/O with parsing (a worker's blocking reads take turns instead). */
export const READ_CONCURRENCY = 8;

/** Batches a worker holds at once, so it never waits for the next while one is in transit. */
const BATCHES_IN_FLIGHT = 2;

/** The compiled worker script, beside this module. */
export function workerScriptPath(): string {
  return path.join(__dirname, 'extract-worker.js');
}

/** Reads one file and, unless its hash is the prior one, extracts its entry. Never throws. */
export async function extractFile(root: string, job: ExtractJob, opts: ReadOptions): Promise<ExtractResult> {
  const read = await readWorkspaceFile(root, job.path, opts);
  if (read.layout === undefined || (read.records.length === 0 && isGone(read))) return { kind: 'gone', path: job.path };
  if (job.priorHash !== undefined && job.priorHash === read.hash) return { kind: 'unchanged', path: job.path, hash: read.hash };
  return { kind: 'extracted', path: job.path, entry: guardedEntry(job.path, read) };
}

/** Extracts a batch on the current thread; results in job order. */
export async function extractBatch(
  root: string,
  jobs: readonly ExtractJob[],
  opts: ReadOptions,
  onEach?: () => void,
): Promise<ExtractResult[]> {
  const results = new Array<ExtractResult>(jobs.length);
  await forEachLimited(jobs.length, READ_CONCURRENCY, async (i) => {
    results[i] = await extractFile(root, jobs[i], opts);
    // With blocking reads, nothing else returns to the event loop within a batch, and a parsed
    // file's tree is freed by a finalizer that runs from it: a worker's batches of 128 files then
    // held every tree at once (a cold start at 10,000 Script Includes grew to 1.7 GB).
    if (opts.blocking) await new Promise((resolve) => setImmediate(resolve));
    onEach?.();
  });
  return results;
}

/**
 * Extracts every job, on worker threads when asked for more than one and there is more than one
 * batch of work; results in job order. A worker that fails (cannot start, crashes, or reports a
 * batch error) loses nothing: its unfinished batches are redone in-process and one line is
 * logged. All workers are terminated before this resolves.
 */
export async function extractAll(opts: ExtractAllOptions): Promise<ExtractResult[]> {
  const batchSize = Math.max(1, opts.batchSize ?? DEFAULT_BATCH_SIZE);
  const readOpts: ReadOptions = { maxFileSize: opts.maxFileSize };
  const workerFile = opts.workerFile ?? workerScriptPath();
  const inProcess = async (): Promise<ExtractResult[]> => {
    const got = await extractBatch(opts.root, opts.jobs, readOpts, opts.onResults && (() => opts.onResults?.(1)));
    opts.onBatch?.(0, got);
    return got;
  };
  if (opts.workers <= 1 || opts.jobs.length === 0) return inProcess();
  if (!existsSync(workerFile)) {
    opts.log?.(`extract worker script ${path.basename(workerFile)} not found; reading in-process`);
    return inProcess();
  }
  const workers = Math.min(Math.floor(opts.workers), Math.ceil(opts.jobs.length / batchSize));
  const results = new Array<ExtractResult>(opts.jobs.length);
  const queue = toBatches(opts.jobs, batchSize);
  const store = (batch: Batch, got: readonly ExtractResult[]): void => {
    for (let i = 0; i < got.length; i++) results[batch.start + i] = got[i];
    opts.onResults?.(got.length);
    opts.onBatch?.(batch.start, got);
  };
  const redone: Promise<void>[] = [];
  const redoInProcess = (batches: readonly Batch[], why: string): void => {
    if (batches.length === 0) return;
    const files = batches.reduce((n, b) => n + b.jobs.length, 0);
    opts.log?.(`extract worker failed (${why}); reading its ${files} files in-process`);
    for (const b of batches) redone.push(extractBatch(opts.root, b.jobs, readOpts).then((got) => store(b, got)));
  };
  const setup: WorkerSetup = { root: opts.root, maxFileSize: opts.maxFileSize };
  await Promise.all(Array.from({ length: workers }, () => driveWorker(workerFile, setup, queue, store, redoInProcess)));
  // Every worker failed before the queue emptied: the rest is read here.
  if (queue.length > 0) redoInProcess(queue.splice(0), 'no worker left');
  await Promise.all(redone);
  return results;
}

interface Batch {
  id: number;
  /** Index of the batch's first job in the whole list. */
  start: number;
  jobs: ExtractJob[];
}

function toBatches(jobs: readonly ExtractJob[], size: number): Batch[] {
  const batches: Batch[] = [];
  for (let start = 0; start < jobs.length; start += size) {
    batches.push({ id: batches.length, start, jobs: jobs.slice(start, start + size) });
  }
  return batches;
}

/**
 * Runs one worker until the shared queue is empty or the worker fails; resolves once it is
 * terminated, so no thread outlives the index pass.
 */
function driveWorker(
  file: string,
  setup: WorkerSetup,
  queue: Batch[],
  onDone: (batch: Batch, results: readonly ExtractResult[]) => void,
  onFailed: (batches: readonly Batch[], why: string) => void,
): Promise<void> {
  return new Promise((resolve) => {
    let worker: Worker;
    try {
      // A worker's stdout would go to the process's stdout, which is the protocol channel in
      // `serve --stdio`; anything a worker prints goes to stderr instead.
      // A worker keeps nothing between batches, so a small heap is enough and keeps the peak
      // memory of a cold index down; a file too big for it fails the batch, which is then
      // redone in-process.
      worker = new Worker(file, { workerData: setup, stdout: true, resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB, maxYoungGenerationSizeMb: 16 } });
      worker.stdout.pipe(process.stderr, { end: false });
      keepHeapFlags(worker);
    } catch (err) {
      onFailed([], (err as Error).message);
      resolve();
      return;
    }
    const inFlight = new Map<number, Batch>();
    let finished = false;
    const finish = (): void => {
      if (finished) return;
      finished = true;
      worker.terminate().then(() => resolve(), () => resolve());
    };
    const feed = (): void => {
      while (inFlight.size < BATCHES_IN_FLIGHT && queue.length > 0) {
        const batch = queue.shift()!;
        inFlight.set(batch.id, batch);
        const request: WorkerRequest = { id: batch.id, jobs: batch.jobs };
        worker.postMessage(request);
      }
      if (inFlight.size === 0) finish();
    };
    const fail = (why: string): void => {
      if (finished) return;
      const lost = [...inFlight.values()];
      inFlight.clear();
      onFailed(lost, why);
      finish();
    };
    worker.on('message', (reply: WorkerReply) => {
      const batch = inFlight.get(reply.id);
      if (!batch || finished) return;
      inFlight.delete(reply.id);
      if ('error' in reply) onFailed([batch], reply.error);
      else onDone(batch, reply.results);
      feed();
    });
    worker.on('error', (err) => fail(err.message));
    worker.on('exit', (code) => fail(`exited with code ${code}`));
    feed();
  });
}

/** Turns the records of one file into its index entry. */
export function buildEntry(relPath: string, read: ReadResult): FileEntry {
  const entry: FileEntry = {
    path: relPath,
    hash: read.hash,
    layout: read.layout,
    scriptIncludes: [],
    callSites: [],
    callers: [],
    problems: [...read.problems],
    includes: [...read.includes],
  };
  const uses = new Map<string, number>();
  for (const record of read.records) {
    const x = extractRecord(record, relPath);
    entry.scriptIncludes.push(...x.scriptIncludes);
    entry.callSites.push(...x.callSites);
    if (x.caller) entry.callers.push(x.caller);
    entry.problems.push(...x.problems);
    for (const u of x.schemaUses ?? []) uses.set(u, (uses.get(u) ?? 0) + 1);
  }
  if (read.schema || uses.size) {
    const defined = read.schema ?? { tables: [], fields: [], properties: [] };
    // Bounded: a generated file must not make one entry hold thousands of names.
    entry.schema = {
      tables: defined.tables.slice(0, MAX_SCHEMA_FACTS),
      fields: defined.fields.slice(0, MAX_SCHEMA_FACTS),
      properties: defined.properties.slice(0, MAX_SCHEMA_FACTS),
      uses: [...uses.keys()].slice(0, MAX_SCHEMA_FACTS),
      useCounts: [...uses.values()].slice(0, MAX_SCHEMA_FACTS),
    };
  }
  return entry;
}

/** Most tables, fields, properties or uses one file contributes. */
const MAX_SCHEMA_FACTS = 2000;

/**
 * buildEntry, but an extractor bug in one file costs that file's symbols, not the whole index
 * pass: the file is kept (so a later edit re-reads it) with the error as a Problem.
 */
function guardedEntry(relPath: string, read: ReadResult): FileEntry {
  try {
    return buildEntry(relPath, read);
  } catch (err) {
    return {
      path: relPath,
      hash: read.hash,
      layout: read.layout,
      scriptIncludes: [],
      callSites: [],
      callers: [],
      problems: [...read.problems, { path: relPath, message: `could not extract: ${(err as Error).message}`, severity: 'error' }],
      includes: [...read.includes],
    };
  }
}

/** A read that failed because the file is no longer there. */
function isGone(read: ReadResult): boolean {
  return read.problems.some((p) => /ENOENT|no longer exists|not found/i.test(p.message));
}

async function forEachLimited(count: number, limit: number, fn: (index: number) => Promise<void>): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, count) }, async () => {
    while (next < count) await fn(next++);
  });
  await Promise.all(lanes);
}
