/** A small workspace written to a temp folder and indexed for real, for retrieval tests. */
import { promises as fs } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { defaultSettings } from '../../server/src/config';
import { consoleEditor } from '../../server/src/editor';
import { ApiIndex } from '../../server/src/index/api-index';
import { Indexer } from '../../server/src/index/indexer';
import { KnowledgeGraphCache } from '../../server/src/index/knowledge-graph';
import { RetrievalPipeline } from '../../server/src/retrieval/pipeline';
import { DEFAULT_RETRIEVAL_OPTIONS, RetrievalIndex, RetrievalOptions } from '../../server/src/retrieval/retrieval-index';
import { CursorContext } from '../../server/src/retrieval/types';
import { cursorContext } from '../../server/src/syntax/cursor-context';
import { parseJavaScript } from '../../server/src/syntax/parser';
import { cursorFixture } from '../helpers/cursor';

export interface Fixture {
  root: string;
  index: ApiIndex;
  indexer: Indexer;
  retrieval: RetrievalIndex;
  pipeline: RetrievalPipeline;
  dispose(): Promise<void>;
}

export async function writeFiles(root: string, files: Record<string, string>): Promise<void> {
  for (const [rel, text] of Object.entries(files)) {
    await fs.mkdir(path.join(root, path.dirname(rel)), { recursive: true });
    await fs.writeFile(path.join(root, rel), text);
  }
}

export async function indexFixture(files: Record<string, string>, options: RetrievalOptions = DEFAULT_RETRIEVAL_OPTIONS): Promise<Fixture> {
  const root = await fs.mkdtemp(path.join(os.tmpdir(), 'dcs-retrieval-'));
  await writeFiles(root, files);
  const index = new ApiIndex();
  const indexer = new Indexer(index, { root, settings: defaultSettings(), editor: consoleEditor('error'), persist: false });
  await indexer.indexAll();
  const retrieval = new RetrievalIndex(index, options);
  retrieval.build();
  const graph = new KnowledgeGraphCache(index);
  const pipeline = new RetrievalPipeline(index, retrieval, () => graph.get());
  return {
    root,
    index,
    indexer,
    retrieval,
    pipeline,
    async dispose() {
      retrieval.dispose();
      await fs.rm(root, { recursive: true, force: true });
    },
  };
}

/** The context at the `|` of a source, as a server-side script of `scope` (or per `facts`). */
export function contextAt(source: string, facts: Partial<CursorContext> = {}): CursorContext {
  const { text, offset } = cursorFixture(source);
  return cursorContext(text, parseJavaScript(text), offset, {
    recordType: facts.recordType ?? 'sys_script',
    side: facts.side ?? 'server',
    scope: facts.scope ?? 'global',
    collection: facts.collection,
    recordName: facts.recordName,
  });
}

/** A classless Script Include: one function that returns its argument. */
export function classlessFunction(name: string, param = 'value'): string {
  return `function ${name}(${param}) { return ${param}; }\n`;
}

/** A business rule whose body is `body`. */
export function businessRule(body: string): string {
  return `(function executeRule(current, previous) {\n${body}\n})(current, previous);\n`;
}
