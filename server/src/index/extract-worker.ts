/**
 * Entry of an extract worker thread (started by extract-pool.ts): answers each batch of paths
 * with its results in job order. The thread loads its own tree-sitter parser on first use.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { extractBatch, WorkerReply, WorkerRequest, WorkerSetup } from './extract-pool';
import { packEntry } from './snippets';

const setup = workerData as WorkerSetup;
const port = parentPort;

port?.on('message', (request: WorkerRequest) => {
  void answer(request).then((reply) => {
    try {
      port.postMessage(reply);
    } catch (err) {
      // A result that cannot be cloned fails its batch, which the pool then redoes in-process.
      port.postMessage({ id: request.id, error: `could not send results: ${(err as Error).message}` } satisfies WorkerReply);
    }
  });
});

async function answer(request: WorkerRequest): Promise<WorkerReply> {
  try {
    // Scopes of now.config.json by folder, for this batch: a plain file's scope is otherwise
    // looked for in each folder above it, for every file. A batch is a few dozen milliseconds of
    // neighbouring paths; a now.config.json changed meanwhile re-reads its files anyway.
    const results = await extractBatch(setup.root, request.jobs, { maxFileSize: setup.maxFileSize, blocking: true, scopeCache: new Map() });
    // Packed here, not on the server's thread: a first index then deflates on the workers, and
    // zlib's allocations for thousands of files stay out of the server's own heap.
    for (const r of results) if (r.kind === 'extracted') packEntry(r.entry);
    return { id: request.id, results };
  } catch (err) {
    return { id: request.id, error: (err as Error).message };
  }
}
