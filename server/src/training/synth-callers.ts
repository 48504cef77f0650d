/**
 * Writes the callers of the synthetic instance: business rules, client scripts, UI actions,
 * scheduled jobs, fix scripts, scripted REST operations, ATF steps and methods added to other
 * Script Includes. Around each call sits code that works on a record (its table, fields, the
 * domain's properties, roles and events) mixed with noise (logging, user lookups, unrelated
 * helpers). How much of the target's own vocabulary that code carries depends on the caller's
 * signal: strong callers work on the called method's table, weak ones on some other domain.
 * The Script Include's name appears only at the call itself.
 */
import { Side } from '../model';
import { Rng, rngFor } from './synth-random';
import { CallPlan, CallerPlan, MethodPlan, ParamPlan } from './synth-plan';
import { ExtraMethod } from './synth-script-include';
import { indent, literalFor, sysparmName } from './synth-code';
import { COMMON_TABLES, DOMAINS, Entity, camelWords, fieldToCamel, fieldToVar } from './synth-vocabulary';

/** The caller's record, its script and the fields of its XML record. */
export interface CallerText {
  table: string;
  name: string;
  side: Side;
  scriptField: string;
  script: string;
  /** Record fields other than script, scope, package and bookkeeping. */
  fields: Record<string, string>;
}

/** Per-caller writing state: the variable names in use and where the code runs. */
interface Env {
  rng: Rng;
  caller: CallerPlan;
  entity: Entity;
  /** Variable holding a record of `entity.table` (`current`, `gr`); always set on the server. */
  rec: string;
  names: Set<string>;
  /** Whether a bare `return;` is legal where the lines go. */
  inFunction: boolean;
  /** Whether `rec` is a business rule's `current` (`current.field.changes()` is then meaningful). */
  isBusinessRule: boolean;
  /** Block kinds already written, so a script does not repeat the same block over and over. */
  used: Map<string, Set<number>>;
}

/** A block kind in [0, count) not used yet in this script when one is left. */
function pickKind(env: Env, family: string, count: number): number {
  const used = env.used.get(family) ?? new Set<number>();
  env.used.set(family, used);
  const left: number[] = [];
  for (let i = 0; i < count; i++) if (!used.has(i)) left.push(i);
  const k = left.length > 0 ? env.rng.pick(left) : env.rng.int(0, count - 1);
  used.add(k);
  return k;
}

function fresh(env: Env, base: string): string {
  let name = base;
  for (let n = 2; env.names.has(name); n++) name = `${base}${n}`;
  env.names.add(name);
  return name;
}

const plainFields = (e: Entity): string[] => e.fields.filter((f) => !f.includes('.'));

function words(name: string): string {
  return camelWords(name).toLowerCase();
}

// ---------------------------------------------------------------------------------------------
// Arguments

function serverArg(env: Env, p: ParamPlan, m: MethodPlan | undefined): string {
  const { rng, rec, entity } = env;
  switch (p.kind) {
    case 'sysId': return rng.pick([`${rec}.getUniqueValue()`, `${rec}.sys_id.toString()`, `${rec}.getValue('sys_id')`]);
    case 'record': return rec;
    case 'userId': return rng.chance(0.6) ? `${rec}.getValue('${entity.user}')` : 'gs.getUserID()';
    case 'groupId': return `${rec}.getValue('${entity.group ?? 'assignment_group'}')`;
    case 'value': {
      const field = m && env.entity === m.entity ? m.field : rng.pick(entity.fields);
      return rng.chance(0.7) ? `${rec}.getValue('${field}')` : literalFor(field, rng);
    }
    case 'notes': return rng.pick([`'Updated by ' + gs.getUserName()`, `'Closed by scheduled cleanup'`, `'Automatic update'`, `gs.getMessage('Processed automatically')`]);
    case 'fields': {
      const picked = rng.sample(plainFields(entity), 2);
      return `{ ${picked.map((f) => `${f}: ${rec}.getValue('${f}')`).join(', ')} }`;
    }
    case 'otherId': return `${rec}.getValue('${rng.pick(entity.fields)}')`;
    case 'limit': return String(rng.pick([5, 10, 20, 50]));
  }
}

function clientArg(env: Env, p: ParamPlan, m: MethodPlan | undefined, onChangeField?: string): string {
  const { rng, entity } = env;
  switch (p.kind) {
    case 'sysId': return 'g_form.getUniqueValue()';
    case 'userId': return rng.chance(0.5) ? 'g_user.userID' : `g_form.getValue('${entity.user}')`;
    case 'groupId': return `g_form.getValue('${entity.group ?? 'assignment_group'}')`;
    case 'value': return onChangeField ? 'newValue' : `g_form.getValue('${m && m.entity === entity ? m.field : rng.pick(entity.fields)}')`;
    case 'limit': return `'${rng.pick([5, 10, 20])}'`;
    default: return `g_form.getValue('${rng.pick(entity.fields)}')`;
  }
}

// ---------------------------------------------------------------------------------------------
// Surrounding code

/** Code that works on the caller's record with its own domain's vocabulary. */
function contextBlock(env: Env): string[] {
  const { rng, rec, entity: e } = env;
  const domain = env.caller.domain;
  const fields = plainFields(e);
  switch (pickKind(env, 'context', 10)) {
    case 0: {
      const f = rng.pick(fields);
      return [`var ${fresh(env, fieldToVar(f))} = ${rec}.getValue('${f}');`];
    }
    case 1:
      if (e.state && env.inFunction) return [`if (${rec}.getValue('${e.state.field}') == '${e.state.closed}') {`, '    return;', '}'];
      return [`var ${fresh(env, 'label')} = ${rec}.getDisplayValue('${rng.pick(fields)}');`];
    case 2:
      if (env.isBusinessRule && env.inFunction) return [`if (!current.${rng.pick(fields)}.changes()) {`, '    return;', '}'];
      return [`var ${fresh(env, 'opened')} = new GlideDateTime(${rec}.getValue('${e.date}'));`];
    case 3: {
      const agg = fresh(env, 'agg');
      const existing = fresh(env, 'existing');
      return [
        `var ${agg} = new GlideAggregate('${e.table}');`,
        `${agg}.addQuery('${e.user}', ${rec}.getValue('${e.user}'));`,
        `${agg}.addAggregate('COUNT');`,
        `${agg}.query();`,
        `var ${existing} = ${agg}.next() ? parseInt(${agg}.getAggregate('COUNT'), 10) : 0;`,
      ];
    }
    case 4: {
      const f = rng.pick(fields);
      return [`${rec}.setValue('${f}', ${literalFor(f, rng)});`];
    }
    case 5:
      if (e.group) return [`if (!${rec}.getValue('${e.group}')) {`, `    ${rec}.setValue('${e.group}', gs.getProperty('${rng.pick(domain.properties)}'));`, '}'];
      return [`var ${fresh(env, 'threshold')} = parseInt(gs.getProperty('${rng.pick(domain.properties)}', '5'), 10);`];
    case 6:
      return [`var ${fresh(env, 'threshold')} = parseInt(gs.getProperty('${rng.pick(domain.properties)}', '${rng.int(1, 30)}'), 10);`];
    case 7:
      return [`var ${fresh(env, 'isManager')} = gs.hasRole('${rng.pick(domain.roles)}');`];
    case 8:
      return [`gs.eventQueue('${rng.pick(domain.events)}', ${rec}, ${rec}.getValue('${e.user}'), '');`];
    default: {
      const f = rng.pick(fields);
      const related = fresh(env, 'related');
      return [
        `var ${related} = new GlideRecord('${e.table}');`,
        `${related}.addQuery('${f}', ${rec}.getValue('${f}'));`,
        `${related}.addQuery('sys_id', '!=', ${rec}.getUniqueValue());`,
        `${related}.setLimit(${rng.pick([1, 5, 10])});`,
        `${related}.query();`,
      ];
    }
  }
}

/** Code every script carries whatever it calls. */
function noiseBlock(env: Env): string[] {
  const { rng, rec } = env;
  const common = rng.pick(COMMON_TABLES);
  switch (pickKind(env, 'noise', 10)) {
    case 0: return [`gs.info('[${rng.pick(['auto_assign', 'sync', 'cleanup', 'audit', 'routing', 'defaults'])}] processing ' + ${rec}.getDisplayValue());`];
    case 1: {
      const usr = fresh(env, 'usr');
      return [`var ${usr} = new GlideRecord('sys_user');`, `if (${usr}.get(gs.getUserID())) {`, `    var ${fresh(env, 'dept')} = ${usr}.getValue('department');`, '}'];
    }
    case 2: return [`var ${fresh(env, 'maxRows')} = parseInt(gs.getProperty('glide.ui.per_page', '100'), 10);`];
    case 3: {
      const now = fresh(env, 'now');
      return [`var ${now} = new GlideDateTime();`, `${now}.addDaysUTC(-${rng.int(1, 90)});`];
    }
    case 4: {
      const grp = fresh(env, 'lookup');
      const ids = fresh(env, 'ids');
      const f = rng.pick(common.fields);
      return [
        `var ${ids} = [];`,
        `var ${grp} = new GlideRecord('${common.table}');`,
        `${grp}.addQuery('${f}', ${literalFor(f, rng)});`,
        `${grp}.query();`,
        `while (${grp}.next()) {`,
        `    ${ids}.push(${grp}.getUniqueValue());`,
        '}',
      ];
    }
    case 5: {
      const fn = fresh(env, rng.pick(['formatDate', 'toDisplay', 'safeString', 'pad']));
      // A function expression, not a declaration: the block may land inside a loop or an `if`.
      return [`var ${fn} = function(value) {`, "    return value ? String(value).trim() : '';", '};'];
    }
    case 6: return [`var ${fresh(env, 'lang')} = gs.getSession().getLanguage();`];
    case 7: return [rng.pick(['// TODO: remove after the upgrade', '// Keep in sync with the flow', '// Added for STRY0031877', '// Do not change the order of these checks', '// Legacy behaviour, see the design doc'])];
    case 8: {
      const other = rng.pick(rng.pick(DOMAINS).entities);
      return [`gs.debug('checked ${other.table} for ' + ${rec}.getUniqueValue());`];
    }
    default: return [`var ${fresh(env, 'userName')} = gs.getUserName();`];
  }
}

function comment(env: Env, call: CallPlan): string[] {
  const { rng } = env;
  if (env.caller.signal === 'weak' || !rng.chance(0.5)) return [];
  const m = call.method ?? call.target.methods[0];
  if (env.caller.signal === 'strong' && rng.chance(0.6)) return [`// ${rng.pick(['Look up', 'Refresh', 'Work out', 'Check', 'Apply'])} ${words(m.name).replace(/^(get|is|has|can|calculate|count|validate|build|create) /, '')}`];
  const concept = rng.pick(call.target.domain.concepts);
  return [`// ${rng.pick(['Handle', 'Keep', 'Update', 'Recompute'])} ${words(concept)} ${rng.pick(['before saving', 'for this record', 'as agreed with the process owner', 'here, not in the flow'])}`];
}

/**
 * Surrounding code before the call: more of the target's vocabulary for stronger signals.
 * `maxBlocks` trims whole blocks (never lines, which could cut an `if` in half).
 */
function preamble(env: Env, maxBlocks = Infinity): string[] {
  const { rng } = env;
  const counts = env.caller.signal === 'strong' ? [rng.int(3, 7), rng.int(1, 5)] : env.caller.signal === 'medium' ? [rng.int(1, 4), rng.int(1, 5)] : [rng.int(0, 1), rng.int(1, 5)];
  const blocks: string[][] = [];
  for (let i = 0; i < counts[0]; i++) blocks.push(contextBlock(env));
  for (let i = 0; i < counts[1]; i++) blocks.push(noiseBlock(env));
  // Interleave so context and noise do not form two neat halves.
  const order = rng.sample(blocks.map((_, i) => i), blocks.length).slice(0, maxBlocks);
  return order.flatMap((i) => blocks[i]);
}

// ---------------------------------------------------------------------------------------------
// The call

const INSTANCE_SUFFIXES = ['Util', 'Utils', 'Helper', 'Svc', 'Api', 'Mgr'];
const GENERIC_INSTANCES = ['util', 'helper', 'svc', 'api', 'handler', 'lib', 'worker'];

function qualified(call: CallPlan): string {
  return call.qualifier ? `${call.qualifier}.${call.target.name}` : call.target.name;
}

function instanceName(env: Env, call: CallPlan): string {
  const { rng } = env;
  const base = rng.chance(0.6) ? `${call.target.entity.short}${rng.pick(INSTANCE_SUFFIXES)}` : rng.pick(GENERIC_INSTANCES);
  // A variable spelled like the class would give the answer away.
  return fresh(env, base.toLowerCase() === call.target.name.toLowerCase() ? 'util' : base);
}

const RESULT_NAMES: Record<MethodPlan['returns'], readonly string[]> = {
  list: ['results', 'records', 'items', 'rows'],
  number: ['count', 'total', 'amount', 'value'],
  map: ['counts', 'summary', 'byValue'],
  object: ['info', 'data', 'details', 'result'],
  id: ['newId', 'createdId', 'recordId'],
  boolean: ['ok', 'valid', 'allowed', 'done'],
  void: ['unused'],
  string: ['text', 'display', 'answer'],
};

function usage(env: Env, res: string, returns: MethodPlan['returns']): string[] {
  const { rng, rec } = env;
  const f = rng.pick(plainFields(env.entity));
  switch (returns) {
    case 'list': {
      const i = fresh(env, 'i');
      return rng.chance(0.5)
        ? [`for (var ${i} = 0; ${i} < ${res}.length; ${i}++) {`, `    gs.info('related: ' + ${res}[${i}].sys_id);`, '}']
        : [`if (${res}.length > ${rng.int(0, 5)}) {`, `    gs.addInfoMessage(${res}.length + ' related records');`, '}'];
    }
    case 'number': return rng.chance(0.5) ? [`if (${res} > ${rng.int(1, 50)}) {`, `    gs.warn('threshold exceeded for ' + ${rec}.getDisplayValue());`, '}'] : [`${rec}.setValue('${f}', ${res});`];
    case 'map': return [`gs.info(JSON.stringify(${res}));`];
    case 'object': return rng.chance(0.5) ? [`if (${res}) {`, `    gs.info(JSON.stringify(${res}));`, '}'] : [`gs.debug('details: ' + JSON.stringify(${res}));`];
    case 'id': return [`gs.addInfoMessage('Created ' + ${res});`];
    case 'boolean': return [`if (!${res}) {`, `    gs.addErrorMessage(gs.getMessage('Could not update {0}', ${rec}.getDisplayValue()));`, '}'];
    case 'string': return [`${rec}.setValue('${f}', ${res});`];
    case 'void': return [];
  }
}

interface CallText {
  /** Lines that set up the call (an instance), placed before a loop when there is one. */
  setup: string[];
  call: string[];
  /** The result variable, when there is one. */
  result?: string;
}

function serverCall(env: Env, call: CallPlan): CallText {
  const { rng } = env;
  const m = call.method;
  const params = m ? m.params : call.target.methods[0].params;
  const args = params.map((p) => serverArg(env, p, m)).join(', ');
  const returns = m ? m.returns : call.target.methods[0].returns;
  const q = qualified(call);
  const target = call.style === 'chain' ? `new ${q}().${m!.name}` : call.style === 'function' ? q : call.style === 'static' ? `${q}.${m!.name}` : '';
  let setup: string[] = [];
  let callee = target;
  if (call.style === 'var') {
    const inst = instanceName(env, call);
    setup = [`var ${inst} = new ${q}();`];
    callee = `${inst}.${m!.name}`;
  }
  if (returns === 'void' || (returns !== 'list' && rng.chance(0.15))) return { setup, call: [`${callee}(${args});`] };
  if (returns === 'boolean' && rng.chance(0.4)) {
    return { setup, call: [`if (${callee}(${args})) {`, `    gs.info('${words(m ? m.name : call.target.methods[0].name)} done for ' + ${env.rec}.getDisplayValue());`, '}'] };
  }
  const res = fresh(env, rng.pick(RESULT_NAMES[returns]));
  return { setup, call: [`var ${res} = ${callee}(${args});`, ...usage(env, res, returns)], result: res };
}

function allCalls(env: Env): { setup: string[]; body: string[]; result?: string } {
  const setup: string[] = [];
  const body: string[] = [];
  let result: string | undefined;
  env.caller.calls.forEach((call, i) => {
    const text = serverCall(env, call);
    setup.push(...text.setup);
    if (i > 0) body.push(...noiseBlock(env));
    body.push(...comment(env, call), ...text.call);
    if (i === 0) result = text.result;
  });
  return { setup, body, result };
}

// ---------------------------------------------------------------------------------------------
// Record names

const NAME_VERBS = ['Set', 'Update', 'Sync', 'Validate', 'Check', 'Recalculate', 'Notify on', 'Populate', 'Default', 'Route', 'Auto-assign', 'Copy'];

function recordName(env: Env, kind: string): string {
  const { rng, entity } = env;
  const concept = words(rng.pick(env.caller.domain.concepts));
  const field = rng.pick(plainFields(entity)).replace(/_/g, ' ');
  const what = words(entity.noun);
  switch (kind) {
    case 'business-rule': return `${rng.pick(NAME_VERBS)} ${rng.chance(0.5) ? field : concept} ${rng.pick(['on', 'for'])} ${what}`;
    case 'ui-action': return `${rng.pick(['Recalculate', 'Escalate', 'Resolve', 'Refresh', 'Sync', 'Copy'])} ${concept}`;
    case 'scheduled-job': return `${rng.pick(['Nightly', 'Hourly', 'Weekly', 'Daily'])} ${what} ${concept} ${rng.pick(['cleanup', 'sync', 'check', 'report'])}`;
    case 'fix-script': return `Fix ${what} ${field} ${rng.pick(['values', 'after upgrade', 'data', 'for STRY00' + rng.int(10000, 99999)])}`;
    case 'rest-operation': return `${rng.pick(['Get', 'Update', 'Create', 'Lookup'])} ${what} ${concept}`;
    case 'atf-step': return `Verify ${what} ${concept}`;
    case 'processor': return `${what} ${concept} ${rng.pick(['export', 'feed', 'download', 'lookup'])}`;
    case 'ui-script': return `${words(entity.noun).replace(/ /g, '_')}_${rng.pick(['helpers', 'utils', 'widgets', 'form_tools'])}`;
    default: return `${rng.pick(['Populate', 'Check', 'Validate', 'Show'])} ${field} ${kind}`;
  }
}

// ---------------------------------------------------------------------------------------------
// Server callers

function newEnv(seed: number, caller: CallerPlan, rec: string, inFunction: boolean, isBusinessRule = false): Env {
  return { rng: rngFor(seed, 'caller', caller.index), caller, entity: caller.entity, rec, names: new Set([rec, 'current', 'previous', 'gs']), inFunction, isBusinessRule, used: new Map() };
}

function businessRule(seed: number, caller: CallerPlan): CallerText {
  const env = newEnv(seed, caller, 'current', true, true);
  const { rng } = env;
  const when = rng.weighted([['before', 40], ['after', 35], ['async', 20], ['display', 5]] as const);
  const pre = preamble(env);
  const { setup, body } = allCalls(env);
  const post = when === 'after' && rng.chance(0.3) ? ['current.update();'] : [];
  const lines = [...pre, ...setup, ...body, ...post];
  const script = [`(function executeRule(current, previous /*null when async*/) {`, '', ...indent(lines, 1), '', '})(current, previous);'].join('\n');
  return {
    table: 'sys_script', name: recordName(env, 'business-rule'), side: 'server', scriptField: 'script', script,
    fields: {
      action_delete: 'false', action_insert: String(rng.chance(0.7)), action_query: 'false', action_update: 'true', advanced: 'true',
      collection: caller.entity.table, condition: '', description: '', filter_condition: '', order: String(rng.pick([100, 200, 500, 1000])), when,
    },
  };
}

function uiAction(seed: number, caller: CallerPlan): CallerText {
  const env = newEnv(seed, caller, 'current', false);
  const { rng } = env;
  const pre = preamble(env);
  const { setup, body } = allCalls(env);
  const lines = [...pre, ...setup, ...body, 'current.update();', 'action.setRedirectURL(current);'];
  const name = recordName(env, 'ui-action');
  return {
    table: 'sys_ui_action', name, side: 'server', scriptField: 'script', script: lines.join('\n'),
    fields: { action_name: name.toLowerCase().replace(/[^a-z0-9]+/g, '_'), client: 'false', condition: rng.chance(0.5) ? 'current.active == true' : '', form_button: 'true', hint: '', onclick: '', order: '100', table: caller.entity.table },
  };
}

/** Lines a job runs before it has a record: settings and a cut-off date. */
function jobHead(env: Env): string[] {
  const { rng } = env;
  const out: string[] = [];
  if (rng.chance(0.5)) out.push(`var ${fresh(env, 'batchSize')} = parseInt(gs.getProperty('${rng.pick(env.caller.domain.properties)}', '${rng.pick([50, 100, 500])}'), 10);`);
  if (rng.chance(0.4)) out.push(`gs.info('${env.caller.domain.label} job started by ' + gs.getUserName());`);
  if (rng.chance(0.3)) {
    const cutoff = fresh(env, 'cutoff');
    out.push(`var ${cutoff} = new GlideDateTime();`, `${cutoff}.addDaysUTC(-${rng.int(7, 90)});`);
  }
  return out;
}

function scheduledJob(seed: number, caller: CallerPlan): CallerText {
  const env = newEnv(seed, caller, 'gr', false);
  const { rng } = env;
  const e = caller.entity;
  const wrapped = rng.chance(0.5);
  env.inFunction = wrapped;
  const head = jobHead(env);
  const query = [`var gr = new GlideRecord('${e.table}');`];
  if (e.state) query.push(`gr.addQuery('${e.state.field}', 'IN', '${e.state.open.join(',')}');`);
  else query.push('gr.addActiveQuery();');
  query.push(`gr.addQuery('${e.date}', '<', gs.daysAgo(${rng.int(1, 60)}));`, `gr.setLimit(${rng.pick([500, 1000, 5000])});`, 'gr.query();');
  const processed = fresh(env, 'processed');
  env.inFunction = false; // inside the loop a bare return would end the whole job
  const inner = preamble(env, rng.int(1, 3));
  const { setup, body } = allCalls(env);
  const lines = [
    ...head,
    ...query,
    `var ${processed} = 0;`,
    ...setup,
    'while (gr.next()) {',
    ...indent([...inner, ...body, `${processed}++;`], 1),
    '}',
    `gs.info('${words(e.noun)} job processed ' + ${processed} + ' records');`,
  ];
  const script = wrapped ? ['(function() {', ...indent(lines, 1), '})();'].join('\n') : lines.join('\n');
  return {
    table: 'sysauto_script', name: recordName(env, 'scheduled-job'), side: 'server', scriptField: 'script', script,
    fields: { active: 'true', run_dayofweek: '', run_period: '', run_time: `1970-01-01 0${rng.int(0, 5)}:00:00`, run_type: rng.pick(['daily', 'weekly', 'periodically']) },
  };
}

function fixScript(seed: number, caller: CallerPlan): CallerText {
  const env = newEnv(seed, caller, 'gr', false);
  const { rng } = env;
  const id = rng.hex(32);
  const pre = preamble(env, rng.int(1, 6));
  const { setup, body } = allCalls(env);
  const lines = [`var gr = new GlideRecord('${caller.entity.table}');`, `if (gr.get('${id}')) {`, ...indent([...pre, ...setup, ...body], 1), '} else {', `    gs.print('record not found: ${id}');`, '}'];
  return {
    table: 'sys_script_fix', name: recordName(env, 'fix-script'), side: 'server', scriptField: 'script', script: lines.join('\n'),
    fields: { description: rng.chance(0.5) ? `One-off data fix for ${caller.entity.table}` : '', record_for_rollback: 'true' },
  };
}

function restOperation(seed: number, caller: CallerPlan): CallerText {
  const env = newEnv(seed, caller, 'gr', true);
  const { rng } = env;
  const method = rng.pick(['GET', 'POST', 'PATCH']);
  const idLine = method === 'GET' ? 'var id = request.pathParams.id;' : 'var body = request.body.data;\nvar id = body.sys_id;';
  env.names.add('id').add('body');
  const pre = preamble(env);
  const { setup, body, result } = allCalls(env);
  const lines = [
    ...idLine.split('\n'),
    `var gr = new GlideRecord('${caller.entity.table}');`,
    'if (!gr.get(id)) {',
    '    response.setStatus(404);',
    "    response.setBody({ error: 'not found' });",
    '    return;',
    '}',
    ...pre,
    ...setup,
    ...body,
    'response.setStatus(200);',
    `response.setBody({ result: ${result ?? 'gr.getUniqueValue()'} });`,
  ];
  const script = ['(function process(/*RESTAPIRequest*/ request, /*RESTAPIResponse*/ response) {', '', ...indent(lines, 1), '', '})(request, response);'].join('\n');
  const name = recordName(env, 'rest-operation');
  const path = `/${caller.entity.table.replace(/_/g, '-')}${method === 'GET' ? '/{id}' : ''}`;
  return {
    table: 'sys_ws_operation', name, side: 'server', scriptField: 'operation_script', script,
    fields: { active: 'true', http_method: method, operation_uri: `/api/${caller.scope.scope}/v1${path}`, relative_path: path },
  };
}

function atfStep(seed: number, caller: CallerPlan): CallerText {
  const env = newEnv(seed, caller, 'gr', true);
  const { rng } = env;
  const stepId = rng.hex(32);
  env.names.add('recordId');
  const pre = preamble(env, rng.int(0, 4));
  const { setup, body, result } = allCalls(env);
  const lines = [
    `var recordId = steps('${stepId}').record_id;`,
    `var gr = new GlideRecord('${caller.entity.table}');`,
    'if (!gr.get(recordId)) {',
    "    stepResult.setOutputMessage('record not found');",
    '    return false;',
    '}',
    ...pre,
    ...setup,
    ...body,
    result ? `assertEqual({ name: 'result is set', shouldbe: true, value: !!${result} });` : "stepResult.setOutputMessage('call completed');",
    'return true;',
  ];
  const script = ['(function(outputs, steps, params, stepResult, assertEqual) {', ...indent(lines, 1), '})(outputs, steps, params, stepResult, assertEqual);'].join('\n');
  return {
    table: 'sys_atf_step', name: recordName(env, 'atf-step'), side: 'server', scriptField: 'script', script,
    fields: { active: 'true', description: 'Run Server Side Script', order: String(rng.int(1, 9)) },
  };
}

// ---------------------------------------------------------------------------------------------
// Client callers

function clientContext(env: Env, onChangeField?: string): string[] {
  const { rng, entity: e } = env;
  const fields = plainFields(e);
  const role = rng.pick(env.caller.domain.roles);
  const blocks: string[][] = [];
  const n = env.caller.signal === 'strong' ? rng.int(3, 6) : env.caller.signal === 'medium' ? rng.int(1, 3) : rng.int(0, 1);
  for (let i = 0; i < n; i++) {
    const f = rng.pick(fields);
    switch (pickKind(env, 'client', 5)) {
      case 0: blocks.push([`var ${fresh(env, fieldToVar(f))} = g_form.getValue('${f}');`]); break;
      case 1: blocks.push([`if (!g_form.getValue('${f}')) {`, `    g_form.showFieldMsg('${f}', getMessage('Please fill in ${f.replace(/_/g, ' ')}'), 'error');`, '    return;', '}']); break;
      case 2: blocks.push([`g_form.setMandatory('${f}', true);`]); break;
      case 3: blocks.push([`var ${fresh(env, 'isAgent')} = g_user.hasRole('${role}');`]); break;
      default: blocks.push([`g_form.setDisplay('${f}', ${onChangeField ? "newValue !== ''" : 'true'});`]);
    }
  }
  const noise = [
    () => ['g_form.clearMessages();'],
    () => [`var ${fresh(env, 'tableName')} = g_form.getTableName();`],
    () => ['// Keep the form responsive: answer arrives asynchronously'],
    () => [`var ${fresh(env, 'isNew')} = g_form.isNewRecord();`],
    () => [`if (g_form.isNewRecord()) {`, '    return;', '}'],
  ];
  for (const make of rng.sample(noise, rng.int(1, 3))) blocks.push(make());
  const order = rng.sample(blocks.map((_, i) => i), blocks.length);
  return order.flatMap((i) => blocks[i]);
}

function clientAnswerUsage(env: Env, returns: MethodPlan['returns'], answer: string): string[] {
  const { rng } = env;
  const f = rng.pick(plainFields(env.entity));
  switch (returns) {
    case 'boolean': return [`if (${answer} == 'true') {`, `    g_form.showFieldMsg('${f}', getMessage('Check ${f.replace(/_/g, ' ')}'), 'info');`, '}'];
    case 'number': return [`if (parseInt(${answer}, 10) > 0) {`, `    g_form.addInfoMessage(${answer} + ' matching records');`, '}'];
    case 'string':
    case 'id': return [`g_form.setValue('${f}', ${answer});`];
    default: {
      const data = fresh(env, 'data');
      return [`var ${data} = JSON.parse(${answer});`, `if (${data}) {`, `    g_form.setValue('${f}', ${data}.${rng.chance(0.5) ? fieldToVar(f) : 'value'} || '');`, '}'];
    }
  }
}

/** `var ga = new GlideAjax('X'); ga.addParam(...)...` and the answer's use. */
function glideAjaxCall(env: Env, call: CallPlan, sync: boolean, onChangeField?: string): string[] {
  const { rng } = env;
  const m = call.method!;
  const base = rng.pick(['ga', 'ajax', `${call.target.entity.short}Ajax`]);
  const ga = fresh(env, base.toLowerCase() === call.target.name.toLowerCase() ? 'ga' : base);
  const lines = [...comment(env, call), `var ${ga} = new GlideAjax('${qualified(call)}');`, `${ga}.addParam('sysparm_name', '${m.name}');`];
  for (const p of m.params) lines.push(`${ga}.addParam('${sysparmName(p)}', ${clientArg(env, p, m, onChangeField)});`);
  if (sync) {
    const answer = fresh(env, 'answer');
    lines.push(`${ga}.getXMLWait();`, `var ${answer} = ${ga}.getAnswer();`, ...clientAnswerUsage(env, m.returns, answer));
    return lines;
  }
  const usageLines = clientAnswerUsage(env, m.returns, 'answer');
  lines.push(`${ga}.getXMLAnswer(function(answer) {`, '    if (!answer) {', '        return;', '    }', ...indent(usageLines, 1), '});');
  return lines;
}

function clientScript(seed: number, caller: CallerPlan): CallerText {
  const env = newEnv(seed, caller, 'g_form', true);
  const { rng } = env;
  const type = rng.weighted([['onChange', 55], ['onLoad', 30], ['onSubmit', 15]] as const);
  const field = type === 'onChange' ? rng.pick(plainFields(caller.entity)) : '';
  const name = recordName(env, type === 'onChange' ? 'on change' : type === 'onLoad' ? 'on load' : 'before submit');
  let lines: string[];
  let head: string;
  if (type === 'onChange') {
    head = 'function onChange(control, oldValue, newValue, isLoading, isTemplate) {';
    ['control', 'oldValue', 'newValue', 'isLoading', 'isTemplate'].forEach((n) => env.names.add(n));
    lines = ["if (isLoading || newValue === '') {", '    return;', '}', ...clientContext(env, field), ...glideAjaxCall(env, caller.calls[0], false, field)];
  } else if (type === 'onLoad') {
    head = 'function onLoad() {';
    lines = [...clientContext(env), ...glideAjaxCall(env, caller.calls[0], false)];
  } else {
    head = 'function onSubmit() {';
    lines = [...clientContext(env), ...glideAjaxCall(env, caller.calls[0], true), 'return true;'];
  }
  const script = [head, ...indent(lines, 1), '}'].join('\n');
  return {
    table: 'sys_script_client', name, side: 'client', scriptField: 'script', script,
    fields: { applies_extended: 'false', description: '', field_name: field, global: 'true', isolate_script: String(rng.chance(0.7)), table: caller.entity.table, type, ui_type: rng.pick(['0', '10']) },
  };
}

function clientUiAction(seed: number, caller: CallerPlan): CallerText {
  const env = newEnv(seed, caller, 'g_form', true);
  const { rng } = env;
  const name = recordName(env, 'ui-action');
  const actionName = name.toLowerCase().replace(/[^a-z0-9]+/g, '_');
  const fn = fresh(env, rng.pick(['confirmAction', 'clientCheck', 'beforeSubmit', `run${actionName.split('_').map((w) => (w ? w[0].toUpperCase() + w.slice(1) : '')).join('')}`]));
  const ajax = glideAjaxCall(env, caller.calls[0], false);
  // The answer decides whether the form is submitted to the server half of the action.
  const submitAt = ajax.lastIndexOf('});');
  ajax.splice(submitAt, 0, `    gsftSubmit(null, g_form.getFormElement(), '${actionName}');`);
  const lines = [...clientContext(env), ...ajax, 'return false;'];
  const script = [`function ${fn}() {`, ...indent(lines, 1), '}', '', "if (typeof window == 'undefined') {", '    current.update();', '    action.setRedirectURL(current);', '}'].join('\n');
  return {
    table: 'sys_ui_action', name, side: 'client', scriptField: 'script', script,
    fields: { action_name: actionName, client: 'true', condition: '', form_button: 'true', hint: '', onclick: `${fn}()`, order: '100', table: caller.entity.table },
  };
}

/**
 * A processor: a script served at a URL path, reading the request and writing the answer itself
 * (`g_request`, `g_response`, `g_processor`), with the calls in between.
 */
function processor(seed: number, caller: CallerPlan): CallerText {
  const env = newEnv(seed, caller, 'gr', false);
  const { rng } = env;
  for (const n of ['g_request', 'g_response', 'g_processor', 'id', 'out']) env.names.add(n);
  const param = rng.pick(['sysparm_sys_id', 'sys_id', 'sysparm_id']);
  const pre = preamble(env, rng.int(0, 3));
  const { setup, body, result } = allCalls(env);
  const lines = [
    `var id = g_request.getParameter('${param}');`,
    `var gr = new GlideRecord('${caller.entity.table}');`,
    'if (!id || !gr.get(id)) {',
    '    g_response.setStatus(404);',
    '} else {',
    ...indent([...pre, ...setup, ...body, `var out = { sys_id: gr.getUniqueValue(), result: ${result ?? 'gr.getDisplayValue()'} };`, "g_processor.writeOutput('application/json', JSON.stringify(out));"], 1),
    '}',
  ];
  const name = recordName(env, 'processor');
  return {
    table: 'sys_processor', name, side: 'server', scriptField: 'script', script: lines.join('\n'),
    fields: { active: 'true', path: name.toLowerCase().replace(/[^a-z0-9]+/g, '_'), type: 'script', require_authentication: 'true' },
  };
}

/**
 * A UI script: browser code loaded on forms or pages, a named function (or a few) that asks the
 * server through GlideAjax.
 */
function uiScript(seed: number, caller: CallerPlan): CallerText {
  const env = newEnv(seed, caller, 'g_form', true);
  const { rng } = env;
  const name = recordName(env, 'ui-script');
  const fn = `${rng.pick(['refresh', 'load', 'check', 'show'])}${fieldToCamel(rng.pick(plainFields(caller.entity))).replace(/^./, (c) => c.toUpperCase())}`;
  env.names.add(fn);
  const lines = [...clientContext(env), ...glideAjaxCall(env, caller.calls[0], false)];
  const script = [`function ${fn}() {`, ...indent(lines, 1), '}'].join('\n');
  return {
    table: 'sys_ui_script', name, side: 'client', scriptField: 'script', script,
    fields: { active: 'true', global: String(rng.chance(0.3)), ui_type: rng.pick(['0', '10']), use_scoped_format: 'false', description: '' },
  };
}

// ---------------------------------------------------------------------------------------------
// Calls placed inside other Script Includes

const HOST_VERBS = ['refresh', 'sync', 'process', 'handle', 'apply', 'update', 'resolve'];

/**
 * The method a caller of kind `script-include` adds to its host: it loads a record of the
 * caller's table and calls the target. AJAX hosts read the id from the request instead.
 */
export function hostedMethod(seed: number, caller: CallerPlan, taken: ReadonlySet<string>): ExtraMethod {
  const env = newEnv(seed, caller, 'gr', true);
  const { rng } = env;
  const host = caller.host!;
  let name = `${rng.pick(HOST_VERBS)}${caller.entity.noun}${rng.pick(caller.domain.concepts)}`;
  for (let n = 2; taken.has(name); n++) name = `${name.replace(/\d+$/, '')}${n}`;
  const idParam = fresh(env, rng.pick(['sysId', 'recordId', `${caller.entity.short}Id`]));
  const pre = preamble(env);
  const { setup, body, result } = allCalls(env);
  const ret = result ?? 'true';
  const ajax = host.shape === 'ajax';
  const lines = [
    ...(ajax ? [`var ${idParam} = this.getParameter('sysparm_sys_id');`] : []),
    `var gr = new GlideRecord('${caller.entity.table}');`,
    `if (!gr.get(${idParam})) {`,
    `    return ${ajax ? "''" : 'null'};`,
    '}',
    ...pre,
    ...setup,
    ...body,
    `return ${ajax ? `JSON.stringify(${ret})` : ret};`,
  ];
  return { name, params: ajax ? [] : [idParam], body: lines };
}

/**
 * The script and record fields of one caller that is a record of its own; undefined for a
 * `script-include` caller, whose call lives in its host (see hostedMethod).
 */
export function renderCaller(seed: number, caller: CallerPlan): CallerText | undefined {
  switch (caller.kind) {
    case 'business-rule': return businessRule(seed, caller);
    case 'ui-action': return uiAction(seed, caller);
    case 'scheduled-job': return scheduledJob(seed, caller);
    case 'fix-script': return fixScript(seed, caller);
    case 'rest-operation': return restOperation(seed, caller);
    case 'atf-step': return atfStep(seed, caller);
    case 'client-script': return clientScript(seed, caller);
    case 'client-ui-action': return clientUiAction(seed, caller);
    case 'processor': return processor(seed, caller);
    case 'ui-script': return uiScript(seed, caller);
    case 'script-include': return undefined;
  }
}
