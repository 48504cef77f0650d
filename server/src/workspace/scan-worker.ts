/** The workspace walk's thread (see `scanInWorker` in scan.ts): one walk in, its files as columns out. */
import { answerOneJob } from '../worker-job';
import { packScan, scanWorkspace, ScanRequest } from './scan';

answerOneJob(
  async (req: ScanRequest) => packScan(await scanWorkspace(req.root, req.opts)),
  (reply) => [reply.sizes.buffer as ArrayBuffer, reply.mtimes.buffer as ArrayBuffer],
);
