/**
 * A small plain-layout workspace written to a temp dir: four Script Includes of the x_acme_hr
 * scope (a class, an Ajax processor that uses the class, a classless function, an object of
 * helpers) and callers in every form, one of them copied to test de-duplication.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { defaultSettings } from '../../server/src/config';
import { Editor } from '../../server/src/editor';
import { ApiIndex } from '../../server/src/index/api-index';
import { Indexer } from '../../server/src/index/indexer';

export const silentEditor: Editor = {
  log() {},
  showMessage() {},
  async startProgress() {
    return { report() {}, done() {} };
  },
};

const ASSIGN_MANAGER = `// hrUtils finds the manager of the caller.
(function executeRule(current, previous) {
    var hrUtils = new HRUtils();
    var mgr = hrUtils.getManager(current.getValue('caller_id'));
    current.setValue('u_manager', mgr);
    // done with HRUtilsTest-style lookups; getManager may return ''
})(current, previous);
`;

export const FIXTURE: Record<string, string> = {
  'x_acme_hr/script_includes/HRUtils.js': `/** Manager and department lookups for HR cases. */
var HRUtils = Class.create();
HRUtils.prototype = {
    initialize: function() {},
    /** The manager of a user. */
    getManager: function(userId) {
        var gr = new GlideRecord('sys_user');
        if (gr.get(userId)) return gr.getValue('manager');
        return '';
    },
    getDepartment: function(userId) {
        var gr = new GlideRecord('sys_user');
        return gr.get(userId) ? gr.getValue('department') : '';
    },
    type: 'HRUtils'
};
`,
  'x_acme_hr/script_includes/HRAjax.js': `var HRAjax = Class.create();
HRAjax.prototype = Object.extendsObject(AbstractAjaxProcessor, {
    getManagerName: function() {
        var lookup = new HRUtils();
        var id = lookup.getManager(this.getParameter('sysparm_user'));
        var user = new GlideRecord('sys_user');
        return user.get(id) ? user.getDisplayValue('name') : '';
    },
    type: 'HRAjax'
});
`,
  'x_acme_hr/script_includes/PayrollCalc.js': `/** Net pay from gross pay: payroll tax and pension deductions. */
function PayrollCalc(gross) {
    var tax = gross * 0.3;
    var pension = gross * 0.05;
    return gross - tax - pension;
}
`,
  'x_acme_hr/script_includes/DateHelper.js': `var DateHelper = {
    daysBetween: function(start, end) {
        var a = new GlideDateTime(start);
        var b = new GlideDateTime(end);
        return Math.floor((b.getNumericValue() - a.getNumericValue()) / 86400000);
    }
};
`,
  'x_acme_hr/business_rules/assign_manager.js': ASSIGN_MANAGER,
  'x_acme_hr/business_rules/assign_manager_copy.js': ASSIGN_MANAGER,
  'x_acme_hr/business_rules/net_pay.js': `(function executeRule(current, previous) {
    var net = PayrollCalc(current.getValue('u_gross'));
    current.setValue('u_net', net);
    var days = x_acme_hr.DateHelper.daysBetween(current.opened_at, current.closed_at);
    current.setValue('u_days_open', days);
})(current, previous);
`,
  'x_acme_hr/business_rules/department_check.js': `(function executeRule(current, previous) {
    if (new x_acme_hr.HRUtils().getDepartment(current.getValue('caller_id')) === '') {
        current.setAbortAction(true);
    }
    gs.addInfoMessage('department checked');
})(current, previous);
`,
  'x_acme_hr/client_scripts/show_manager.js': `function onChange(control, oldValue, newValue, isLoading) {
    if (isLoading || newValue === '') return;
    var ga = new GlideAjax('HRAjax');
    ga.addParam('sysparm_name', 'getManagerName');
    ga.addParam('sysparm_user', newValue);
    ga.getXMLAnswer(function(answer) {
        g_form.showFieldMsg('caller_id', 'Manager: ' + answer, 'info');
    });
}
`,
};

export function writeWorkspace(files: Record<string, string>): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'dcs-eval-'));
  for (const [rel, text] of Object.entries(files)) {
    const abs = path.join(root, ...rel.split('/'));
    fs.mkdirSync(path.dirname(abs), { recursive: true });
    fs.writeFileSync(abs, text);
  }
  return root;
}

export async function indexWorkspace(root: string): Promise<ApiIndex> {
  const index = new ApiIndex();
  await new Indexer(index, { root, settings: defaultSettings(), editor: silentEditor, persist: false }).indexAll();
  return index;
}

export function removeWorkspace(root: string): void {
  fs.rmSync(root, { recursive: true, force: true });
}
