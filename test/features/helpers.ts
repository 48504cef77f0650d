/**
 * Feature-test fixtures: a multi-file workspace written as one string, each file under a
 * `//- path` header, with a `|` marking the cursor in one of them. The files are written to a
 * temp dir, indexed by the real indexer (reading, extraction, retrieval), and the cursor file is
 * opened in the session, as an editor would.
 */
import { promises as fs } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { pathToFileURL } from 'url';
import { Editor } from '../../server/src/editor';
import { FeatureState, featureState } from '../../server/src/features/common';
import { Position } from '../../server/src/model';
import { Session, Workspace } from '../../server/src/session';
import { offsetToPosition } from '../../server/src/syntax/positions';

export const quietEditor: Editor = {
  log() {},
  showMessage() {},
  async startProgress() {
    return { report() {}, done() {} };
  },
};

export interface Fixture {
  root: string;
  session: Session;
  state: FeatureState;
  ws: Workspace;
  /** The file holding the cursor (or the last file when none does). */
  path: string;
  uri: string;
  text: string;
  position: Position;
  uriOf(rel: string): string;
  dispose(): Promise<void>;
}

/** The index of a lone `|` (not part of `||`), or -1. */
function markerIndex(text: string): number {
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '|' && text[i - 1] !== '|' && text[i + 1] !== '|') return i;
  }
  return -1;
}

export function parseFixture(source: string): { files: Array<{ path: string; text: string }>; cursor?: { path: string; offset: number } } {
  const files: Array<{ path: string; text: string }> = [];
  let cursor: { path: string; offset: number } | undefined;
  const parts = source.split(/^\/\/- (.+)\n/m);
  for (let i = 1; i < parts.length; i += 2) {
    const rel = parts[i].trim();
    let text = parts[i + 1] ?? '';
    const at = cursor ? -1 : markerIndex(text);
    if (at >= 0) {
      cursor = { path: rel, offset: at };
      text = text.slice(0, at) + text.slice(at + 1);
    }
    files.push({ path: rel, text });
  }
  return { files, cursor };
}

export async function loadFixture(source: string, settings: Partial<Record<string, unknown>> = {}): Promise<Fixture> {
  const { files, cursor } = parseFixture(source);
  const root = await fs.mkdtemp(path.join(os.tmpdir(), 'dcs-features-'));
  for (const f of files) {
    await fs.mkdir(path.join(root, path.dirname(f.path)), { recursive: true });
    await fs.writeFile(path.join(root, f.path), f.text);
  }
  const session = new Session(quietEditor);
  Object.assign(session.settings, settings);
  const ws = session.addWorkspace(root, false);
  await ws.startIndexing();
  // Without a cursor the file under test is the last one (fixtures append it to a shared library).
  const main = cursor?.path ?? files[files.length - 1].path;
  const text = files.find((f) => f.path === main)!.text;
  const uri = pathToFileURL(path.join(root, main)).toString();
  const languageId = main.endsWith('.xml') ? 'xml' : 'javascript';
  session.documents.open(uri, languageId, 1, text);
  return {
    root,
    session,
    state: featureState(session),
    ws,
    path: main,
    uri,
    text,
    position: offsetToPosition(text, cursor?.offset ?? 0),
    uriOf: (rel) => pathToFileURL(path.join(root, rel)).toString(),
    async dispose() {
      await session.dispose();
      await fs.rm(root, { recursive: true, force: true });
    },
  };
}

/** Runs `fn` on a loaded fixture and always cleans up. */
export async function withFixture<T>(source: string, fn: (f: Fixture) => Promise<T> | T, settings?: Partial<Record<string, unknown>>): Promise<T> {
  const f = await loadFixture(source, settings);
  try {
    return await fn(f);
  } finally {
    await f.dispose();
  }
}

/** A small workspace many tests share: two scopes, inheritance, a client-callable ajax processor, a classless function. */
export const LIBRARY = `
//- acme/x_acme_hr/script_includes/HRBase.js
/** Shared base of HR helpers. */
var HRBase = Class.create();
HRBase.prototype = {
    initialize: function() {},
    /**
     * Writes a line to the HR log.
     * @param {string} message what to log
     */
    log: function(message) {
        gs.info(message);
    },
    type: 'HRBase'
};
//- acme/x_acme_hr/script_includes/HRUtils.js
/**
 * Helpers for HR cases: managers, departments, leave balances.
 */
var HRUtils = Class.create();
HRUtils.prototype = Object.extendsObject(HRBase, {
    /**
     * @param {string} userId the employee's sys_id
     * @param {boolean} [strict] fail when the user is inactive
     */
    initialize: function(userId, strict) {
        this.userId = userId;
    },
    /**
     * The manager of an employee.
     * @param {string} userId the employee's sys_id
     * @returns {string} the manager's sys_id
     */
    getManager: function(userId) {
        var gr = new GlideRecord('sys_user');
        gr.get(userId);
        return gr.getValue('manager');
    },
    /**
     * Days of leave left this year.
     * @param {string} userId the employee
     * @param {number} year the calendar year
     */
    getLeaveBalance: function(userId, year) {
        var gr = new GlideRecord('x_acme_hr_leave');
        gr.addQuery('employee', userId);
        gr.query();
        return gr.getRowCount();
    },
    _secret: function() {},
    type: 'HRUtils'
});
//- acme/x_acme_hr/script_includes/HRAjax.js
/** Answers HR questions from forms. */
var HRAjax = Class.create();
HRAjax.prototype = Object.extendsObject(AbstractAjaxProcessor, {
    /** The manager of the user in sysparm_user. */
    getManagerName: function() {
        return new HRUtils().getManager(this.getParameter('sysparm_user'));
    },
    isOnLeave: function() {
        return 'false';
    },
    type: 'HRAjax'
});
//- acme/x_acme_hr/update/sys_script_include_0001.xml
<?xml version="1.0" encoding="UTF-8"?><record_update table="sys_script_include">
    <sys_script_include action="INSERT_OR_UPDATE">
        <access>package_private</access>
        <active>true</active>
        <api_name>x_acme_hr.HRPrivate</api_name>
        <client_callable>false</client_callable>
        <name>HRPrivate</name>
        <script><![CDATA[var HRPrivate = Class.create();
HRPrivate.prototype = {
    initialize: function() {},
    purge: function(days) {},
    type: 'HRPrivate'
};]]></script>
        <sys_scope display_value="Acme HR">x_acme_hr</sys_scope>
    </sys_script_include>
</record_update>
//- acme/global/script_includes/formatName.js
/**
 * Formats a person's name for display.
 * @param {string} first given name
 * @param {string} last family name
 */
function formatName(first, last) {
    return last + ', ' + first;
}
`;

/** A table of the fixture's own, defined by table and dictionary records, and a property. */
export const SCHEMA = `
//- acme/x_acme_hr/update/sys_db_object_leave.xml
<?xml version="1.0" encoding="UTF-8"?><record_update table="sys_db_object">
  <sys_db_object action="INSERT_OR_UPDATE"><name>x_acme_hr_leave</name><label>Leave Request</label>
  <super_class display_value="Task" name="task">0123456789abcdef0123456789abcdef</super_class>
  <sys_scope display_value="HR">x_acme_hr</sys_scope></sys_db_object>
</record_update>
//- acme/x_acme_hr/update/sys_dictionary_leave_days.xml
<?xml version="1.0" encoding="UTF-8"?><record_update table="sys_dictionary">
  <sys_dictionary action="INSERT_OR_UPDATE" element="days" table="x_acme_hr_leave"><name>x_acme_hr_leave</name><element>days</element>
  <column_label>Days requested</column_label><internal_type display_value="Integer">integer</internal_type></sys_dictionary>
</record_update>
//- acme/x_acme_hr/update/sys_dictionary_leave_approver.xml
<?xml version="1.0" encoding="UTF-8"?><record_update table="sys_dictionary">
  <sys_dictionary action="INSERT_OR_UPDATE"><name>x_acme_hr_leave</name><element>approver</element>
  <column_label>Approver</column_label><internal_type>reference</internal_type><reference display_value="User" name="sys_user">sys_user</reference></sys_dictionary>
</record_update>
//- acme/x_acme_hr/update/sys_properties_max.xml
<?xml version="1.0" encoding="UTF-8"?><record_update table="sys_properties">
  <sys_properties action="INSERT_OR_UPDATE"><name>x_acme_hr.max_leave_days</name><description>Most days one request may ask for.</description><type>integer</type></sys_properties>
</record_update>
`;

export function businessRule(collection: string, script: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?><record_update table="sys_script">
  <sys_script action="INSERT_OR_UPDATE"><name>Check leave</name><collection>${collection}</collection><when>before</when>
  <sys_scope display_value="HR">x_acme_hr</sys_scope><script><![CDATA[${script}]]></script></sys_script>
</record_update>
`;
}

