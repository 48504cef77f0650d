/**
 * The VS Code client: starts the DeepCodeSeek server and hands it the `deepcodeseek` settings.
 * Everything else (completion, hover, signature help, definition, code actions) is the
 * language client's standard wiring; this file adds only the two commands the server cannot
 * offer on its own: showing the explain output and restarting the server.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import {
  Executable,
  ExecuteCommandSignature,
  LanguageClient,
  LanguageClientOptions,
  NodeModule,
  ServerOptions,
  TransportKind,
} from 'vscode-languageclient/node';

const SECTION = 'deepcodeseek';
const EXPLAIN = 'deepcodeseek.explain';

let client: LanguageClient | undefined;
let fallbackExplain: vscode.Disposable | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const output = vscode.window.createOutputChannel('DeepCodeSeek', { log: true });
  context.subscriptions.push(output);
  context.subscriptions.push(
    vscode.commands.registerCommand('deepcodeseek.restartServer', async () => {
      await stopClient();
      await startClient(context, output);
    }),
  );
  // A changed launcher only takes effect in a new server process.
  context.subscriptions.push(
    vscode.workspace.onDidChangeConfiguration(async (e) => {
      if (!e.affectsConfiguration(`${SECTION}.server.path`)) return;
      await stopClient();
      await startClient(context, output);
    }),
  );
  await startClient(context, output);
}

export async function deactivate(): Promise<void> {
  await stopClient();
}

async function startClient(context: vscode.ExtensionContext, output: vscode.LogOutputChannel): Promise<void> {
  const configured = vscode.workspace.getConfiguration(SECTION).get<string>('server.path', '');
  const serverOptions = serverOptionsFor(context.extensionPath, configured);
  if (typeof serverOptions === 'string') {
    output.appendLine(serverOptions);
    void vscode.window.showErrorMessage(`DeepCodeSeek: ${serverOptions}`);
    return;
  }
  const clientOptions: LanguageClientOptions = {
    // Files on disk only: the server indexes the workspace folder the file belongs to.
    documentSelector: [
      { scheme: 'file', language: 'javascript' },
      { scheme: 'file', language: 'xml' },
    ],
    // Pushes didChangeConfiguration on every change of the section; the server then pulls the
    // whole section through workspace/configuration, so it always sees one consistent view.
    synchronize: { configurationSection: SECTION },
    outputChannel: output,
    middleware: { executeCommand: explainMiddleware },
  };
  client = new LanguageClient(SECTION, 'DeepCodeSeek', serverOptions, clientOptions);
  await client.start();
  // The language client registers a VS Code command for every command the server advertises.
  // When this server version has no explain command, the palette entry still needs an answer.
  const advertised = client.initializeResult?.capabilities.executeCommandProvider?.commands ?? [];
  if (!advertised.includes(EXPLAIN) && !fallbackExplain) {
    fallbackExplain = vscode.commands.registerCommand(EXPLAIN, () =>
      vscode.window.showInformationMessage('DeepCodeSeek: this server version has no explain command yet.'),
    );
  }
}

async function stopClient(): Promise<void> {
  const running = client;
  client = undefined;
  // A restarted server may advertise explain itself; the language client then registers it.
  fallbackExplain?.dispose();
  fallbackExplain = undefined;
  if (running) await running.stop().catch(() => undefined);
}

/**
 * How to start the server: the launcher the user configured, or the server bundled inside the
 * extension (`server/bin/deepcodeseek.js`), run with VS Code's own Node so nothing else needs to
 * be installed. Returns a message when neither exists.
 */
export function serverOptionsFor(extensionPath: string, configured: string): ServerOptions | string {
  const launcher = configured.trim() || path.join(extensionPath, 'server', 'bin', 'deepcodeseek.js');
  if (launcher.endsWith('.js')) {
    if (!fs.existsSync(launcher)) return `server not found at ${launcher}; set deepcodeseek.server.path`;
    // `--stdio` is appended by the language client for the stdio transport.
    const run: NodeModule = { module: launcher, args: ['serve'], transport: TransportKind.stdio };
    return { run, debug: { ...run, options: { execArgv: ['--nolazy', '--inspect=6019'] } } };
  }
  const exec: Executable = { command: launcher, args: ['serve'], transport: TransportKind.stdio };
  return { run: exec, debug: exec };
}

/**
 * Explain needs the cursor: from the palette the command arrives without arguments, so the
 * active editor's document and position are filled in, and whatever the server returns is shown
 * beside the code.
 */
async function explainMiddleware(command: string, args: unknown[], next: ExecuteCommandSignature): Promise<unknown> {
  if (command !== EXPLAIN) return next(command, args);
  const editor = vscode.window.activeTextEditor;
  if (!args.length && editor && client) {
    args = [
      {
        textDocument: { uri: client.code2ProtocolConverter.asUri(editor.document.uri) },
        position: client.code2ProtocolConverter.asPosition(editor.selection.active),
      },
    ];
  }
  const result = await next(command, args);
  await showExplanation(result);
  return result;
}

async function showExplanation(result: unknown): Promise<void> {
  if (result === null || result === undefined) {
    void vscode.window.showInformationMessage('DeepCodeSeek: nothing to explain at the cursor.');
    return;
  }
  const markdown = typeof result === 'string' ? result : (result as { markdown?: unknown }).markdown;
  const doc = await vscode.workspace.openTextDocument(
    typeof markdown === 'string'
      ? { language: 'markdown', content: markdown }
      : { language: 'json', content: JSON.stringify(result, null, 2) },
  );
  await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.Beside, preview: true });
}
