/**
 * The server's state, owned in one place and passed to features: the workspace folders (each with
 * its index, indexer, knowledge graph and optional file watcher), the open documents and the
 * settings. It knows nothing of the LSP connection: it reaches the editor through `Editor`.
 */
import * as path from 'path';
import { fileURLToPath, pathToFileURL } from 'url';
import { defaultSettings, Settings } from './config';
import { DocumentStore } from './documents';
import { Editor } from './editor';
import { ApiIndex } from './index/api-index';
import { Indexer, IndexStats } from './index/indexer';
import { KnowledgeGraphCache } from './index/knowledge-graph';
import { PipelineOutput, RankRequest, RetrievalPipeline } from './retrieval/pipeline';
import { RetrievalIndex } from './retrieval/retrieval-index';
import { FileChange, watchWorkspace } from './workspace/watcher';

export class Workspace {
  readonly index = new ApiIndex();
  readonly indexer: Indexer;
  readonly graph: KnowledgeGraphCache;
  /** Search structures over the index; built once the first index is in, then kept in step. */
  readonly retrieval: RetrievalIndex;
  readonly pipeline: RetrievalPipeline;
  /** Resolves when the first full index is in (the end of the indexing progress). */
  ready: Promise<IndexStats>;
  private watcher?: { close(): Promise<void>; ready: Promise<void> };

  constructor(
    readonly root: string,
    settings: Settings,
    editor: Editor,
    persist = true,
  ) {
    this.indexer = new Indexer(this.index, { root, settings, editor, persist });
    this.graph = new KnowledgeGraphCache(this.index);
    this.retrieval = new RetrievalIndex(this.index);
    this.pipeline = new RetrievalPipeline(this.index, this.retrieval, () => this.graph.get());
    this.ready = new Promise(() => undefined);
  }

  get name(): string {
    return path.basename(this.root);
  }

  startIndexing(onProgress?: (done: number, total: number) => void): Promise<IndexStats> {
    this.ready = this.indexer.indexAll(onProgress).then((stats) => {
      this.retrieval.build();
      return stats;
    });
    return this.ready;
  }

  /** Starts the server's own watcher; resolves once it sees changes. */
  watch(exclude: string[], onChanges: (changes: FileChange[]) => void, onError?: (message: string) => void): Promise<void> {
    this.watcher ??= watchWorkspace(this.root, { exclude, onError }, onChanges);
    return this.watcher.ready;
  }

  async dispose(): Promise<void> {
    this.retrieval.dispose();
    await this.watcher?.close();
    this.watcher = undefined;
    await this.indexer.flush();
  }

  /**
   * Ranks APIs for a cursor context: retrieval, then (when configured) reranking within the
   * latency budget. Features call this, never the stages directly.
   */
  async rank(req: RankRequest): Promise<PipelineOutput> {
    return this.pipeline.rank(req);
  }

  /** Workspace-relative path of an absolute path under this root, else undefined. */
  relative(fsPath: string): string | undefined {
    const rel = path.relative(this.root, fsPath);
    if (!rel || rel.startsWith('..') || path.isAbsolute(rel)) return undefined;
    return rel.split(path.sep).join('/');
  }

  uriOf(relPath: string): string {
    return pathToFileURL(path.join(this.root, relPath)).toString();
  }
}

export class Session {
  readonly workspaces: Workspace[] = [];
  readonly documents = new DocumentStore();
  settings: Settings = defaultSettings();

  constructor(readonly editor: Editor) {}

  addWorkspace(root: string, persist = true): Workspace {
    const ws = new Workspace(path.resolve(root), this.settings, this.editor, persist);
    this.workspaces.push(ws);
    return ws;
  }

  async removeWorkspace(root: string): Promise<void> {
    const i = this.workspaces.findIndex((w) => w.root === path.resolve(root));
    if (i < 0) return;
    const [ws] = this.workspaces.splice(i, 1);
    await ws.dispose();
  }

  /** The workspace holding a document, and the document's path relative to it. */
  locate(uri: string): { ws: Workspace; rel: string } | undefined {
    const fsPath = uriToPath(uri);
    if (!fsPath) return undefined;
    // The deepest root wins when folders nest.
    const sorted = [...this.workspaces].sort((a, b) => b.root.length - a.root.length);
    for (const ws of sorted) {
      const rel = ws.relative(fsPath);
      if (rel) return { ws, rel };
    }
    return undefined;
  }

  async dispose(): Promise<void> {
    await Promise.all(this.workspaces.map((w) => w.dispose()));
  }
}

export function uriToPath(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try {
    return fileURLToPath(uri);
  } catch {
    return undefined;
  }
}
