/**
 * Where a reranker fine-tuned on the workspace lives in the cache folder and how its report is
 * read: the part of workspace training the server needs, so serving never loads the lab.
 */
import { promises as fs } from 'fs';
import * as path from 'path';

export const WORKSPACE_MODEL = 'reranker.onnx';
export const WORKSPACE_REPORT = 'reranker.json';

/** Held-back ranking quality of one model (as training measures it). */
export interface HeldBackMetrics {
  lists: number;
  withTrue: number;
  top1: number;
  top5: number;
  mrr: number;
}

export interface WorkspaceModelReport {
  beatsShipped: boolean;
  trainCases: number;
  heldOutCases: number;
  shipped: HeldBackMetrics;
  tuned: HeldBackMetrics;
  retrieval: HeldBackMetrics;
  writtenAt: string;
}

/** Reads the report of a workspace-trained model in `cacheDir`; undefined when there is none or it is unreadable. */
export async function readWorkspaceModelReport(cacheDir: string): Promise<WorkspaceModelReport | undefined> {
  try {
    const report = JSON.parse(await fs.readFile(path.join(cacheDir, WORKSPACE_REPORT), 'utf8')) as WorkspaceModelReport;
    return report && typeof report === 'object' ? report : undefined;
  } catch {
    return undefined;
  }
}
