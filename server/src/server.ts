/**
 * The only file that talks to the LSP connection: the capabilities, the lifecycle, and one block
 * listing every handler. Handlers are thin: they find the state, call a feature function and
 * return its result; `timed` logs method, URI and duration once, at dispatch.
 */
import {
  CancellationToken,
  CodeActionKind,
  CompletionItem,
  Connection,
  ErrorCodes,
  ResponseError,
  DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification,
  FileChangeType,
  InitializeError,
  InitializeParams,
  InitializeResult,
  TextDocumentSyncKind,
} from 'vscode-languageserver/node';
import { resolveSettings } from './config';
import { Editor, LogLevel, Progress, shouldLog } from './editor';
import { codeActions } from './features/code-actions';
import { featureState } from './features/common';
import { completion, resolveCompletionItem } from './features/completion';
import { definition } from './features/definition';
import { DiagnosticsScheduler, documentDiagnostics } from './features/diagnostics';
import { explain, EXPLAIN_COMMAND } from './features/explain';
import { hover, hoverFormatOf, HoverFormat } from './features/hover';
import { signatureHelp } from './features/signature-help';
import { workspaceSymbols } from './features/workspace-symbols';
import { capYoungGeneration, collectInBackground, holdHeapGrowth, IDLE_COLLECT_AFTER_GROWTH, IdleCollector, SERVING_HEAP_GROWTH_PERCENT, watchLongCollections, YOUNG_SEMI_SPACE_MB } from './memory';
import { SERVER_VERSION } from './version';
import { Session, uriToPath, Workspace } from './session';
import { FileChange } from './workspace/watcher';

/** How long indexing waits for the server's own watcher before going on without it. */
const WATCHER_READY_MS = 10_000;

/** Quiet time after which the garbage of recent requests is collected (memory.ts `IdleCollector`). */
const IDLE_COLLECT_MS = 3_000;
/** Collections at least this long are logged (debug). */
const LONG_COLLECTION_MS = 10;

/** The file patterns the client is asked to watch for us. */
export const WATCHED_GLOBS = ['**/*.js', '**/*.xml', '**/*.now.ts', '**/*.json'];

export function startServer(connection: Connection): { dispose(): Promise<void> } {
  const editor = connectionEditor(connection, () => session.settings['log.level'] as LogLevel);
  const session = new Session(editor);
  const features = featureState(session);
  const diagnostics = new DiagnosticsScheduler(
    (uri) => documentDiagnostics(features, uri),
    (uri, list) => void connection.sendDiagnostics({ uri, diagnostics: list }),
    150,
    (uri, err) => editor.log('error', `diagnostics of ${uri} failed: ${err.message}`),
  );
  const mb = (bytes: number) => Math.round(bytes / 2 ** 20);
  /** Workspaces whose first index is being built. */
  let firstIndexes = 0;
  // Garbage that requests leave is given back once the editor goes quiet (memory.ts).
  const idle = new IdleCollector({
    idleMs: IDLE_COLLECT_MS,
    ...IDLE_COLLECT_AFTER_GROWTH,
    // A first index collects after its own bulk steps (session.ts); meanwhile nothing is idle.
    paused: () => firstIndexes > 0,
    activity: session.activity,
    onCollect: (before, after, ms) => editor.log('debug', `collected the garbage of recent requests while idle: JavaScript heap and its buffers ${mb(before)} -> ${mb(after)} MB in ${Math.round(ms)} ms`),
  });
  let stopWatchingCollections = () => {};
  /** Gives V8 its own heap growth back (set while the server serves and no first index is built). */
  let releaseHeapGrowth: (() => void) | undefined;
  let stopped = false;
  const stopMemoryWork = (): void => {
    stopped = true;
    idle.stop();
    stopWatchingCollections();
    releaseHeapGrowth?.();
    releaseHeapGrowth = undefined;
  };
  let clientWatches = false;
  let clientConfiguration = false;
  let clientSnippets = false;
  let hoverFormat: HoverFormat = 'markdown';
  let initialized = false;
  let initializeReceived = false;
  let configurationRegistration = false;
  /** The client manages workspace folders (the library then owns their notification). */
  let clientFolders = false;
  /** The client cannot watch files for us (or the settings say so): our own watcher does. */
  let serverWatches = false;
  /** Counts explain requests, so a newer one supersedes those still waiting. */
  let explainGeneration = 0;
  /** Workspaces whose first indexing has started (their `ready` is then meaningful). */
  const indexing = new WeakSet<Workspace>();

  connection.onInitialize((params: InitializeParams): InitializeResult | ResponseError<InitializeError> => {
    // A second initialize would add the workspaces again.
    if (initializeReceived) return new ResponseError(ErrorCodes.InvalidRequest, 'initialize was already received', { retry: false });
    initializeReceived = true;
    clientFolders = !!params.capabilities?.workspace?.workspaceFolders;
    const caps = params.capabilities;
    configurationRegistration = !!caps.workspace?.didChangeConfiguration?.dynamicRegistration;
    clientWatches = !!caps.workspace?.didChangeWatchedFiles?.dynamicRegistration;
    clientConfiguration = !!caps.workspace?.configuration;
    clientSnippets = !!caps.textDocument?.completion?.completionItem?.snippetSupport;
    hoverFormat = hoverFormatOf(caps.textDocument?.hover?.contentFormat);
    for (const root of workspaceRoots(params)) session.addWorkspace(root);
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: { includeText: false } },
        workspaceSymbolProvider: true,
        completionProvider: { triggerCharacters: ['.', "'", '"'], resolveProvider: true },
        hoverProvider: true,
        definitionProvider: true,
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, CodeActionKind.RefactorRewrite] },
        executeCommandProvider: { commands: [EXPLAIN_COMMAND] },
        signatureHelpProvider: { triggerCharacters: ['(', ','], retriggerCharacters: [','] },
        workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
      },
      serverInfo: { name: 'deepcodeseek', version: SERVER_VERSION },
    };
  });

  connection.onInitialized(async () => {
    initialized = true;
    idle.start();
    // A collection long enough to be felt on a keystroke, in the debug log beside the requests' times.
    const stopWatchingLong = watchLongCollections(LONG_COLLECTION_MS, (ms, kind) => editor.log('debug', `garbage collection (${kind}) paused the server ${ms.toFixed(1)} ms`));
    const stopCapping = capYoungGeneration(YOUNG_SEMI_SPACE_MB);
    stopWatchingCollections = () => {
      stopWatchingLong();
      stopCapping();
    };
    await loadSettings();
    if (clientConfiguration && configurationRegistration) void connection.client.register(DidChangeConfigurationNotification.type, { section: 'deepcodeseek' });
    const watchMode = session.settings['index.watch'];
    const useClient = clientWatches && (watchMode === 'auto' || watchMode === 'client');
    if (useClient) {
      await connection.client.register(DidChangeWatchedFilesNotification.type, {
        watchers: WATCHED_GLOBS.map((globPattern) => ({ globPattern })),
      });
    }
    serverWatches = !useClient && watchMode !== 'off';
    // With workspaceFolders advertised, vscode-languageserver takes the notification over and
    // hands it on through this event; without, the raw notification below carries it.
    if (clientFolders) connection.workspace.onDidChangeWorkspaceFolders((event) => guard('workspace/didChangeWorkspaceFolders', () => changeFolders(event)));
    await Promise.all(session.workspaces.map((ws) => indexWithProgress(ws)));
  });

  /** Runs a notification handler; a throw costs that notification, logged once, never the server. */
  function guard(method: string, handler: () => void): void {
    session.activity.touch();
    try {
      handler();
    } catch (err) {
      editor.log('error', `${method} failed: ${(err as Error).message}`);
    }
  }

  /** Why a text document identifier (and, when asked, an opened document) is malformed, if it is. */
  function badDocument(d: unknown, opened = false): string | undefined {
    if (!d || typeof d !== 'object') return 'textDocument is missing';
    const doc = d as { uri?: unknown; text?: unknown; version?: unknown; languageId?: unknown };
    if (typeof doc.uri !== 'string' || !doc.uri) return 'textDocument.uri is not a string';
    if (opened && typeof doc.text !== 'string') return 'textDocument.text is not a string';
    if (opened && doc.version !== undefined && typeof doc.version !== 'number') return 'textDocument.version is not a number';
    if (opened && doc.languageId !== undefined && typeof doc.languageId !== 'string') return 'textDocument.languageId is not a string';
    return undefined;
  }

  /** Adds and removes workspace folders; a folder already open is not added twice. */
  function changeFolders(event: { added?: Array<{ uri?: unknown }>; removed?: Array<{ uri?: unknown }> }): void {
    for (const f of event?.removed ?? []) {
      const p = typeof f?.uri === 'string' ? uriToPath(f.uri) : undefined;
      if (p) void session.removeWorkspace(p);
    }
    for (const f of event?.added ?? []) {
      const p = typeof f?.uri === 'string' ? uriToPath(f.uri) : undefined;
      if (p && !session.hasWorkspace(p)) void indexWithProgress(session.addWorkspace(p));
    }
  }

  /**
   * Reads the settings: pulled with workspace/configuration when the client can answer it, else
   * taken from what a didChangeConfiguration pushes. A change of reranker settings reloads it.
   */
  async function loadSettings(pushed?: unknown, reload = false): Promise<void> {
    let raw: unknown = (pushed as { deepcodeseek?: unknown } | undefined)?.deepcodeseek;
    if (clientConfiguration) {
      try {
        raw = await connection.workspace.getConfiguration('deepcodeseek');
      } catch (err) {
        editor.log('warn', `could not read settings, using defaults: ${(err as Error).message}`);
        return;
      }
    }
    if (raw === undefined) return;
    const before = rerankKey();
    const { settings, rejected } = resolveSettings(raw);
    Object.assign(session.settings, settings);
    for (const line of rejected) editor.log('warn', line);
    editor.log('debug', `settings: ${JSON.stringify(session.settings)}`);
    if (reload && rerankKey() !== before) for (const ws of session.workspaces) void ws.ready.then(() => ws.loadReranker());
  }

  function rerankKey(): string {
    const s = session.settings;
    return JSON.stringify([s['rerank.enabled'], s['rerank.model'], s['rerank.modelKind'], s['rerank.tokenizer'], s['rerank.threads']]);
  }

  async function indexWithProgress(ws: Workspace): Promise<void> {
    // A first index grows the heap by V8's own rule; a serving server holds it closer (memory.ts).
    if (firstIndexes++ === 0) {
      releaseHeapGrowth?.();
      releaseHeapGrowth = undefined;
    }
    try {
      await indexFirst(ws);
    } finally {
      if (--firstIndexes === 0 && !stopped) {
        releaseHeapGrowth = holdHeapGrowth(SERVING_HEAP_GROWTH_PERCENT);
        // The limit the first index's last collection set, by V8's own rule, would stand until
        // the next full collection, which requests may not bring for hundreds of completions:
        // one now, incremental, sets it by the held rule.
        void collectInBackground().then((ms) => {
          if (ms !== undefined) editor.log('debug', `the heap grows at most ${SERVING_HEAP_GROWTH_PERCENT}% between full collections from now on (a collection of ${Math.round(ms)} ms set its limit)`);
        });
      }
    }
  }

  async function indexFirst(ws: Workspace): Promise<void> {
    const progress = await editor.startProgress(`Indexing ${ws.name}`);
    progress.report('scanning files', 0);
    try {
      // Watch first: a change made while indexing is then applied after it, not lost.
      if (serverWatches) {
        const watching = ws.watch(session.settings['index.exclude'], (changes) => void applyChanges(ws, changes), (m) => editor.log('warn', m));
        // A watcher that never gets ready (a path it cannot watch) must not hold indexing up.
        let timer: NodeJS.Timeout | undefined;
        const late = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), WATCHER_READY_MS)));
        if ((await Promise.race([watching.then(() => 'ready' as const), late])) === 'late') {
          editor.log('warn', `the file watcher of ${ws.root} is not ready after ${WATCHER_READY_MS / 1000} s; indexing goes on, and changes are seen once it is`);
        }
        clearTimeout(timer);
      }
      // Completion answers by name from what is indexed so far; the status says so once, in
      // the progress message, until retrieval is built.
      const started = ws.startIndexing(
        (done, total) => progress.report(`${done}/${total} files; completing by name meanwhile`, Math.floor((90 * done) / Math.max(total, 1))),
        () => progress.report('building retrieval; completing by name meanwhile', 90),
      );
      indexing.add(ws);
      const stats = await started;
      const n = [...ws.index.scriptIncludes()].length;
      editor.log(
        'info',
        `indexed ${ws.root}: ${stats.files} files, ${n} Script Includes in ${Math.round(stats.ms)} ms (cache ${stats.cache}, ${stats.reused} reused, ${stats.extracted} parsed)`,
      );
      progress.done(`${n} Script Includes indexed`);
      for (const uri of session.documents.uris()) if (session.locate(uri)?.ws === ws) diagnostics.schedule(uri);
    } catch (err) {
      editor.log('error', `indexing ${ws.root} failed: ${(err as Error).stack ?? err}`);
      progress.done('indexing failed');
    }
  }

  async function applyChanges(ws: Workspace, changes: FileChange[]): Promise<void> {
    await ws.ready.catch(() => undefined);
    const started = performance.now();
    const { updated, removed } = await ws.indexer.applyChanges(changes);
    // What other files define changed: the open documents' diagnostics may have too.
    if (updated.length || removed.length) for (const uri of session.documents.uris()) if (session.locate(uri)?.ws === ws) diagnostics.schedule(uri);
    if (updated.length || removed.length) {
      editor.log('debug', `index updated: ${updated.length} changed, ${removed.length} removed in ${(performance.now() - started).toFixed(1)} ms`);
    }
  }

  function changesByWorkspace(items: Array<{ uri: string; kind: FileChange['kind'] }>): Map<Workspace, FileChange[]> {
    const out = new Map<Workspace, FileChange[]>();
    for (const { uri, kind } of items) {
      const hit = session.locate(uri);
      if (!hit) continue;
      const list = out.get(hit.ws) ?? [];
      list.push({ kind, path: hit.rel });
      out.set(hit.ws, list);
    }
    return out;
  }

  /**
   * Waits for the first index of the document's workspace once it is under way (answers before it
   * would be empty); before indexing starts there is nothing to wait for, so answer at once.
   */
  async function ready(uri: string): Promise<void> {
    const ws = session.locate(uri)?.ws;
    if (ws && indexing.has(ws)) await ws.ready.catch(() => undefined);
  }

  function timed<P, R>(method: string, handler: (params: P, token: CancellationToken) => Promise<R> | R) {
    return async (params: P, token: CancellationToken): Promise<R> => {
      if (!initializeReceived) throw new ResponseError(ErrorCodes.ServerNotInitialized, `${method} before initialize`);
      const invalid = badRequest(params);
      if (invalid) throw new ResponseError(ErrorCodes.InvalidParams, `${method}: ${invalid}`);
      const docUri = (params as { textDocument?: { uri?: string } })?.textDocument?.uri;
      if (docUri !== undefined && !session.documents.get(docUri)) throw new ResponseError(ErrorCodes.InvalidParams, `${method}: ${docUri} is not open`);
      const started = performance.now();
      session.activity.touch();
      try {
        return await handler(params, token);
      } finally {
        const uri = (params as { textDocument?: { uri?: string } })?.textDocument?.uri ?? '';
        editor.log('debug', `${method} ${uri} ${(performance.now() - started).toFixed(1)} ms`);
      }
    };
  }

  // ---- handlers ------------------------------------------------------------------------------
  // Notifications cannot answer an error: malformed params are one log line and are ignored.
  connection.onDidOpenTextDocument((params) =>
    guard('textDocument/didOpen', () => {
      const d = params?.textDocument;
      const bad = badDocument(d, true);
      if (bad) return editor.log('warn', `textDocument/didOpen ignored: ${bad}`);
      session.documents.open(d.uri, d.languageId ?? 'javascript', d.version ?? 0, d.text);
      diagnostics.schedule(d.uri);
    }),
  );
  connection.onDidChangeTextDocument((params) =>
    guard('textDocument/didChange', () => {
      const d = params?.textDocument;
      const bad = badDocument(d) ?? (Array.isArray(params?.contentChanges) ? undefined : 'contentChanges is not a list');
      if (bad) return editor.log('warn', `textDocument/didChange ignored: ${bad}`);
      session.documents.change(d.uri, d.version, params.contentChanges);
      diagnostics.schedule(d.uri);
    }),
  );
  connection.onDidCloseTextDocument((params) =>
    guard('textDocument/didClose', () => {
      const d = params?.textDocument;
      const bad = badDocument(d);
      if (bad) return editor.log('warn', `textDocument/didClose ignored: ${bad}`);
      session.documents.close(d.uri);
      features.scripts.forget(d.uri);
      diagnostics.clear(d.uri);
    }),
  );
  connection.onDidSaveTextDocument((params) =>
    guard('textDocument/didSave', () => {
      const d = params?.textDocument;
      if (badDocument(d)) return;
      for (const [ws, changes] of changesByWorkspace([{ uri: d.uri, kind: 'changed' }])) void applyChanges(ws, changes);
    }),
  );
  connection.onDidChangeWatchedFiles((params) =>
    guard('workspace/didChangeWatchedFiles', () => {
      const kinds: Record<number, FileChange['kind']> = { [FileChangeType.Created]: 'created', [FileChangeType.Changed]: 'changed', [FileChangeType.Deleted]: 'deleted' };
      const changes = Array.isArray(params?.changes) ? params.changes : [];
      const items = changes.filter((c) => typeof c?.uri === 'string' && kinds[c.type] !== undefined).map((c) => ({ uri: c.uri, kind: kinds[c.type] }));
      for (const [ws, list] of changesByWorkspace(items)) void applyChanges(ws, list);
    }),
  );
  connection.onDidChangeConfiguration((params) => guard('workspace/didChangeConfiguration', () => void loadSettings(params?.settings, true)));
  connection.onWorkspaceSymbol(
    timed('workspace/symbol', async (params, token) => {
      await Promise.all(session.workspaces.map((w) => w.ready.catch(() => undefined)));
      const sources = session.workspaces.map((w) => ({ scriptIncludes: () => w.index.scriptIncludes(), uriOf: (p: string) => w.uriOf(p) }));
      return workspaceSymbols(sources, params.query, token);
    }),
  );
  connection.onCompletion(
    timed('textDocument/completion', async (params, token) => {
      // The version is read at dispatch: a change that arrives while we wait makes this request stale.
      // Not held until indexing ends: while the workspace indexes, completion answers from the
      // files read so far (by name until retrieval is built), and the list is marked incomplete.
      const version = session.documents.get(params.textDocument.uri)?.version;
      return completion(features, params, token, { snippets: clientSnippets, version });
    }),
  );
  connection.onCompletionResolve(timed('completionItem/resolve', (item: CompletionItem) => resolveCompletionItem(features, item)));
  connection.onHover(timed('textDocument/hover', async (params, token) => (await ready(params.textDocument.uri), hover(features, params, token, hoverFormat))));
  connection.onDefinition(timed('textDocument/definition', async (params, token) => (await ready(params.textDocument.uri), definition(features, params, token))));
  connection.onSignatureHelp(timed('textDocument/signatureHelp', async (params, token) => (await ready(params.textDocument.uri), signatureHelp(features, params, token))));
  connection.onCodeAction(timed('textDocument/codeAction', async (params, token) => (await ready(params.textDocument.uri), codeActions(features, params, token))));
  connection.onExecuteCommand(
    timed('workspace/executeCommand', async (params, token) => {
      if (params.command !== EXPLAIN_COMMAND) return null;
      // Explain is slow next to a keystroke: requests queued behind a burst of explains would
      // wait for all of them. Each one first lets what is queued run; only the newest does work,
      // the ones it supersedes answer null at once.
      const mine = ++explainGeneration;
      // A timer, not setImmediate: the protocol library dispatches one queued message per
      // immediate, so only a timer lets every message already received be dispatched first.
      await new Promise((resolve) => setTimeout(resolve, 1));
      if (mine !== explainGeneration || token.isCancellationRequested) return null;
      return explain(features, params.arguments, token);
    }),
  );
  connection.onShutdown(async () => {
    stopMemoryWork();
    diagnostics.dispose();
    await session.dispose();
  });
  // --------------------------------------------------------------------------------------------

  connection.onNotification('workspace/didChangeWorkspaceFolders', (params: { event?: { added?: Array<{ uri?: unknown }>; removed?: Array<{ uri?: unknown }> } }) => {
    if (!initialized || clientFolders) return;
    guard('workspace/didChangeWorkspaceFolders', () => changeFolders(params?.event ?? {}));
  });

  connection.listen();
  return {
    dispose: () => {
      stopMemoryWork();
      return session.dispose();
    },
  };
}

/** Why a request's params are malformed where every feature reads them (document and position), if they are. */
function badRequest(params: unknown): string | undefined {
  if (params === null || params === undefined || typeof params !== 'object') return undefined;
  const p = params as { textDocument?: unknown; position?: unknown };
  if ('textDocument' in p) {
    const d = p.textDocument as { uri?: unknown } | undefined;
    if (!d || typeof d !== 'object' || typeof d.uri !== 'string') return 'textDocument.uri is not a string';
  }
  if ('position' in p) {
    const pos = p.position as { line?: unknown; character?: unknown } | undefined;
    const whole = (x: unknown) => typeof x === 'number' && Number.isInteger(x) && x >= 0;
    if (!pos || typeof pos !== 'object' || !whole(pos.line) || !whole(pos.character)) return 'position needs whole, non-negative line and character';
  }
  return undefined;
}

function workspaceRoots(params: InitializeParams): string[] {
  const uris = params.workspaceFolders?.length ? params.workspaceFolders.map((f) => f.uri) : params.rootUri ? [params.rootUri] : [];
  const roots = uris.map(uriToPath).filter((p): p is string => !!p);
  if (!roots.length && params.rootPath) roots.push(params.rootPath);
  return roots;
}

/** The editor interface over the connection: log to the client's output, progress via `$/progress`. */
function connectionEditor(connection: Connection, level: () => LogLevel): Editor {
  return {
    log(lvl, message) {
      if (!shouldLog(level(), lvl)) return;
      if (lvl === 'error') connection.console.error(message);
      else if (lvl === 'warn') connection.console.warn(message);
      else if (lvl === 'info') connection.console.info(message);
      else connection.console.log(message);
    },
    showMessage(lvl, message) {
      if (lvl === 'error') void connection.window.showErrorMessage(message);
      else if (lvl === 'warn') void connection.window.showWarningMessage(message);
      else void connection.window.showInformationMessage(message);
    },
    async startProgress(title): Promise<Progress> {
      const reporter = await connection.window.createWorkDoneProgress().catch(() => undefined);
      if (!reporter) return { report() {}, done() {} };
      reporter.begin(title, 0, undefined, false);
      return {
        report: (message, percentage) => reporter.report(percentage ?? 0, message),
        done: () => reporter.done(),
      };
    },
  };
}
