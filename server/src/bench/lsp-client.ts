/**
 * A real LSP client over stdio, used by the end-to-end tests and the benchmark: it starts the
 * built server as a child process, answers the server's own requests (configuration, capability
 * registration, progress creation) the way an editor does, and records progress and logs.
 */
import { ChildProcess, spawn } from 'child_process';
import * as path from 'path';
import { pathToFileURL } from 'url';
import {
  createProtocolConnection,
  InitializeResult,
  ProtocolConnection,
  StreamMessageReader,
  StreamMessageWriter,
} from 'vscode-languageserver/node';

export interface ClientOptions {
  /** Workspace folders to open. */
  roots: string[];
  /** What `workspace/configuration` answers (the `deepcodeseek` section); undefined: no configuration capability. */
  settings?: Record<string, unknown>;
  /** Advertise dynamic registration of file watchers (the server then relies on us for changes). */
  watchFiles?: boolean;
  /** Extra environment for the server process. */
  env?: NodeJS.ProcessEnv;
  /** A program the server runs under (`['strace', '-f', ...]`): the node command line is appended. */
  launcher?: string[];
}

export interface ProgressEvent {
  token: string | number;
  kind: 'begin' | 'report' | 'end';
  message?: string;
  percentage?: number;
}

// out/server/src/bench -> repository root
const CLI = path.resolve(__dirname, '..', '..', '..', '..', 'bin', 'deepcodeseek.js');

export class LspClient {
  readonly progress: ProgressEvent[] = [];
  readonly logs: string[] = [];
  readonly registrations: Array<{ method: string; registerOptions?: unknown }> = [];
  readonly diagnostics = new Map<string, unknown[]>();
  private progressEnded: Array<() => void> = [];
  stderr = '';

  private constructor(
    readonly proc: ChildProcess,
    readonly connection: ProtocolConnection,
    private readonly opts: ClientOptions,
  ) {}

  static async start(opts: ClientOptions): Promise<{ client: LspClient; init: InitializeResult }> {
    const command = [...(opts.launcher ?? []), process.execPath, CLI, 'serve', '--stdio'];
    const proc = spawn(command[0], command.slice(1), { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, ...opts.env } });
    const connection = createProtocolConnection(new StreamMessageReader(proc.stdout!), new StreamMessageWriter(proc.stdin!));
    const client = new LspClient(proc, connection, opts);
    proc.stderr!.on('data', (d) => (client.stderr += d.toString()));
    connection.onRequest('workspace/configuration', (params: { items: { section?: string }[] }) =>
      params.items.map((item) => (item.section === 'deepcodeseek' ? (opts.settings ?? {}) : null)),
    );
    connection.onRequest('client/registerCapability', (params: { registrations: Array<{ method: string; registerOptions?: unknown }> }) => {
      client.registrations.push(...params.registrations);
      return null;
    });
    connection.onRequest('window/workDoneProgress/create', () => null);
    connection.onNotification('$/progress', (p: { token: string | number; value: { kind: ProgressEvent['kind']; message?: string; percentage?: number } }) => {
      client.progress.push({ token: p.token, kind: p.value.kind, message: p.value.message, percentage: p.value.percentage });
      if (p.value.kind === 'end') {
        const waiting = client.progressEnded;
        client.progressEnded = [];
        for (const resolve of waiting) resolve();
      }
    });
    connection.onNotification('window/logMessage', (p: { message: string }) => {
      client.logs.push(p.message);
    });
    connection.onNotification('textDocument/publishDiagnostics', (p: { uri: string; diagnostics: unknown[] }) => {
      client.diagnostics.set(p.uri, p.diagnostics);
    });
    connection.onRequest('window/showMessageRequest', () => null);
    connection.onNotification('window/showMessage', (p: { message: string }) => {
      client.logs.push(p.message);
    });
    connection.listen();
    const roots = opts.roots.map((r) => path.resolve(r));
    const init = (await connection.sendRequest('initialize', {
      processId: process.pid,
      rootUri: roots[0] ? pathToFileURL(roots[0]).toString() : null,
      workspaceFolders: roots.map((r) => ({ uri: pathToFileURL(r).toString(), name: path.basename(r) })),
      capabilities: {
        workspace: {
          configuration: opts.settings !== undefined,
          workspaceFolders: true,
          didChangeWatchedFiles: { dynamicRegistration: !!opts.watchFiles },
          symbol: {},
        },
        window: { workDoneProgress: true },
        textDocument: {
          synchronization: { didSave: true, dynamicRegistration: false },
          completion: { completionItem: { snippetSupport: true, documentationFormat: ['markdown', 'plaintext'] } },
          hover: { contentFormat: ['markdown', 'plaintext'] },
        },
      },
    })) as InitializeResult;
    return { client, init };
  }

  /** Sends `initialized` and waits until every workspace's indexing progress has ended. */
  async initializedAndIndexed(timeoutMs = 60_000): Promise<void> {
    await (await this.initialized(timeoutMs)).indexed;
  }

  /** Sends `initialized`; `indexed` resolves when every root's indexing progress has ended. */
  async initialized(timeoutMs = 60_000): Promise<{ indexed: Promise<void> }> {
    const ended = new Promise<void>((resolve) => {
      let remaining = this.opts.roots.length;
      const onEnd = () => {
        remaining--;
        if (remaining <= 0) resolve();
        else this.progressEnded.push(onEnd);
      };
      this.progressEnded.push(onEnd);
    });
    await this.connection.sendNotification('initialized', {});
    const indexed = withTimeout(ended, timeoutMs, 'indexing progress did not end');
    indexed.catch(() => undefined);
    return { indexed };
  }

  /** Changes what workspace/configuration answers and tells the server, as an editor does. */
  async changeSettings(settings: Record<string, unknown>): Promise<void> {
    this.opts.settings = settings;
    await this.notify('workspace/didChangeConfiguration', { settings: { deepcodeseek: settings } });
  }

  request<R>(method: string, params: unknown): Promise<R> {
    return this.connection.sendRequest(method, params) as Promise<R>;
  }

  notify(method: string, params: unknown): Promise<void> {
    return this.connection.sendNotification(method, params);
  }

  open(uri: string, text: string, languageId = 'javascript', version = 1): Promise<void> {
    return this.notify('textDocument/didOpen', { textDocument: { uri, languageId, version, text } });
  }

  /** shutdown + exit; resolves with the exit code. */
  async stop(): Promise<number | null> {
    const exited = new Promise<number | null>((resolve) => {
      if (this.proc.exitCode !== null) resolve(this.proc.exitCode);
      else this.proc.once('exit', (code) => resolve(code));
    });
    try {
      await withTimeout(this.request('shutdown', null), 10_000, 'shutdown timed out');
      await this.notify('exit', null);
    } catch {
      this.proc.kill();
    }
    const code = await withTimeout(exited, 10_000, 'server did not exit').catch(() => {
      this.proc.kill('SIGKILL');
      return null;
    });
    this.connection.dispose();
    return code;
  }
}

export function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`${what} after ${ms} ms`)), ms);
    p.then(
      (v) => {
        clearTimeout(t);
        resolve(v);
      },
      (e) => {
        clearTimeout(t);
        reject(e);
      },
    );
  });
}

/** Polls until `check` returns a truthy value (for effects that arrive asynchronously). */
export async function eventually<T>(check: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 10_000, stepMs = 25): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, stepMs));
  }
}
