/**
 * End-to-end over stdio for the editor features, on a temp copy of examples/demo-instance: one
 * server for the suite, each request exercised at real positions of the demo's callers.
 */
import * as assert from 'node:assert/strict';
import { promises as fs } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { pathToFileURL } from 'url';
import { eventually, LspClient } from '../../server/src/bench/lsp-client';

const DEMO = path.resolve(__dirname, '..', '..', '..', 'examples', 'demo-instance');
const CALLER = 'scriptsync/acmedev/x_acme_itsm/sys_script/Resolve child incidents with parent.script.js';
const CLIENT = 'scriptsync/acmedev/x_acme_itsm/sys_script_client/Flag VIP caller.script.js';

interface Item {
  label: string;
  data?: unknown;
  documentation?: { value: string };
  textEdit?: { newText: string };
}

/** The position just after the first occurrence of `needle` (or at its start). */
function positionOf(text: string, needle: string, after = true): { line: number; character: number } {
  const at = text.indexOf(needle);
  assert.ok(at >= 0, `${needle} in the fixture`);
  const offset = at + (after ? needle.length : 0);
  const before = text.slice(0, offset).split('\n');
  return { line: before.length - 1, character: before[before.length - 1].length };
}

describe('e2e: features over stdio on the demo instance', function () {
  this.timeout(60_000);
  let root: string;
  let client: LspClient;
  let callerUri: string;
  let callerText: string;
  let clientUri: string;
  let clientText: string;

  before(async () => {
    root = await fs.mkdtemp(path.join(os.tmpdir(), 'dcs-e2e-features-'));
    await fs.cp(DEMO, root, { recursive: true });
    const started = await LspClient.start({ roots: [root], settings: {} });
    client = started.client;
    const caps = started.init.capabilities;
    assert.ok(caps.completionProvider?.resolveProvider);
    assert.ok(caps.hoverProvider && caps.definitionProvider && caps.signatureHelpProvider && caps.codeActionProvider);
    assert.deepEqual(caps.executeCommandProvider?.commands, ['deepcodeseek.explain']);
    await client.initializedAndIndexed();
    callerUri = pathToFileURL(path.join(root, CALLER)).toString();
    callerText = await fs.readFile(path.join(root, CALLER), 'utf8');
    clientUri = pathToFileURL(path.join(root, CLIENT)).toString();
    clientText = await fs.readFile(path.join(root, CLIENT), 'utf8');
    await client.open(callerUri, callerText);
    await client.open(clientUri, clientText);
  });

  after(async () => {
    await client.stop();
    await fs.rm(root, { recursive: true, force: true });
  });

  it('completes the methods of a Script Include instance, and resolve adds documentation', async () => {
    const list = await client.request<{ isIncomplete: boolean; items: Item[] }>('textDocument/completion', {
      textDocument: { uri: callerUri },
      position: positionOf(callerText, 'major.'),
    });
    assert.equal(list.isIncomplete, true);
    const item = list.items.find((i) => i.label === 'resolveChildren');
    assert.ok(item, `resolveChildren in ${list.items.map((i) => i.label).join(', ')}`);
    const resolved = await client.request<Item>('completionItem/resolve', item);
    assert.match(resolved.documentation?.value ?? '', /x_acme_itsm\.MajorIncidentUtils/);
  });

  it('completes Script Include classes after `new`', async () => {
    const list = await client.request<{ items: Item[] }>('textDocument/completion', {
      textDocument: { uri: callerUri },
      position: positionOf(callerText, 'new Maj'),
    });
    assert.equal(list.items[0]?.label, 'MajorIncidentUtils');
  });

  it('hovers a Script Include and goes to its definition', async () => {
    const pos = positionOf(callerText, 'MajorIncidentUtils', false);
    const hover = await client.request<{ contents: { value: string } }>('textDocument/hover', { textDocument: { uri: callerUri }, position: pos });
    assert.match(hover.contents.value, /class x_acme_itsm\.MajorIncidentUtils/);
    const def = await client.request<{ uri: string }>('textDocument/definition', { textDocument: { uri: callerUri }, position: pos });
    assert.ok(def.uri.endsWith('/sys_script_include/MajorIncidentUtils.script.js'), def.uri);
  });

  it('goes from a GlideAjax sysparm_name to the method in the client-callable Script Include', async () => {
    const def = await client.request<{ uri: string }>('textDocument/definition', { textDocument: { uri: clientUri }, position: positionOf(clientText, "'isCaller") });
    assert.ok(def?.uri.endsWith('/sys_script_include/IncidentAjax.script.js'), def?.uri);
  });

  it('gives signature help inside a method call', async () => {
    const help = await client.request<{ signatures: { label: string }[] }>('textDocument/signatureHelp', {
      textDocument: { uri: callerUri },
      position: positionOf(callerText, 'major.resolveChildren('),
    });
    assert.match(help.signatures[0].label, /^resolveChildren\(/);
  });

  it('offers code actions at a bare position', async () => {
    const pos = positionOf(callerText, 'major.resolveChildren(current);\n');
    const actions = await client.request<{ title: string }[]>('textDocument/codeAction', { textDocument: { uri: callerUri }, range: { start: pos, end: pos }, context: { diagnostics: [] } });
    assert.ok(actions.some((a) => a.title.startsWith('Suggest APIs here')), actions.map((a) => a.title).join(' | '));
  });

  it('explains a ranking with stages, timings and trace', async () => {
    const out = await client.request<{ candidates: { name: string; stages: object }[]; timings: unknown[]; trace: string[] }>('workspace/executeCommand', {
      command: 'deepcodeseek.explain',
      arguments: [callerUri, positionOf(callerText, 'new ')],
    });
    assert.ok(out.candidates.length > 0 && out.timings.length > 0 && out.trace.length > 0);
    assert.ok(out.candidates.some((c) => c.name === 'MajorIncidentUtils'));
  });

  it('publishes diagnostics for a call to a method the Script Include lacks', async () => {
    const uri = pathToFileURL(path.join(root, 'scriptsync/acmedev/x_acme_itsm/sys_script/scratch.script.js')).toString();
    await client.open(uri, 'var major = new MajorIncidentUtils();\nmajor.resolveChildrn(current);\n');
    const diags = await eventually(() => client.diagnostics.get(uri) as Array<{ message: string; source: string }> | undefined);
    assert.equal(diags.length, 1);
    assert.equal(diags[0].source, 'deepcodeseek');
    assert.match(diags[0].message, /resolveChildrn/);
  });

  it("completes tables in `new GlideRecord('`, fields in `addQuery('` and after `current.`, nothing in other strings", async () => {
    const uri = pathToFileURL(path.join(root, 'scriptsync/acmedev/x_acme_itsm/sys_script/scratch-tables.script.js')).toString();
    const text = "var gr = new GlideRecord('');\nvar inc = new GlideRecord('incident');\ninc.addQuery('');\ngs.info('');\n";
    await client.open(uri, text);
    const at = async (line: number, character: number) =>
      (await client.request<{ items: Item[] }>('textDocument/completion', { textDocument: { uri }, position: { line, character } })).items.map((i) => i.label);
    const tables = await at(0, 'var gr = new GlideRecord(\''.length);
    // The demo's code names incident most often; the HR app's own tables are there too.
    assert.equal(tables[0], 'incident', tables.slice(0, 8).join(', '));
    assert.ok(tables.includes('x_acme_hr_case'), tables.join(', '));
    const fields = await at(2, "inc.addQuery('".length);
    assert.ok(fields.includes('caller_id') && fields.includes('short_description'), fields.join(', '));
    assert.deepEqual(await at(3, "gs.info('".length), []);

    // In an XML business rule on the HR case table: the table's own fields, from its dictionary records.
    const br = 'source-control/x_acme_hr/update/sys_script_41a589021e43cf9150650e2db0d0a172.xml';
    const brUri = pathToFileURL(path.join(root, br)).toString();
    const brText = (await fs.readFile(path.join(root, br), 'utf8')).replace("if (current.getValue('hr_service')", 'current.\n    if (current.getValue(\'hr_service\')');
    await client.open(brUri, brText, 'xml');
    const items = await client.request<{ items: Item[] }>('textDocument/completion', { textDocument: { uri: brUri }, position: positionOf(brText, 'current.') });
    const labels = items.items.map((i) => i.label);
    assert.ok(labels.slice(0, 5).includes('hr_service'), labels.slice(0, 10).join(', '));
    assert.ok(labels.includes('subject_person') && labels.includes('update'), labels.join(', '));
    const resolved = await client.request<Item>('completionItem/resolve', items.items.find((i) => i.label === 'subject_person'));
    assert.match(resolved.documentation?.value ?? '', /Subject person/);
    assert.match(resolved.documentation?.value ?? '', /reference to sys_user/);
  });

  it('explains with markdown for people beside the JSON', async () => {
    const out = await client.request<{ markdown: string }>('workspace/executeCommand', {
      command: 'deepcodeseek.explain',
      arguments: [callerUri, positionOf(callerText, 'new ')],
    });
    assert.match(out.markdown, /MajorIncidentUtils/);
    assert.match(out.markdown, /\|.*\|/, 'a table of candidates');
  });
});
