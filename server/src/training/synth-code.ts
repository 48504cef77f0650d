/**
 * Bodies of Script Include methods, one template per kind of method (list, count, transition,
 * calculate...). Each body works on the method's own table and fields through GlideRecord,
 * GlideAggregate, GlideDateTime and gs.*, which is the vocabulary a caller shares with it.
 * Lines come back unindented relative to the method; shapes indent them.
 */
import { Rng } from './synth-random';
import { MethodPlan, ParamPlan } from './synth-plan';
import { Domain, Entity, fieldToVar } from './synth-vocabulary';

export interface BodyOptions {
  rng: Rng;
  domain: Domain;
  /** Name used in log lines: the Script Include's name. */
  logName: string;
  /** Log as `Name.method` (classes and modules) or just `Name` (a classless function is its own method). */
  logMethod: boolean;
  /** Prefix that reaches the private `_getRecord` helper (`this.`, or `` in a revealing module); undefined inlines the lookup. */
  helper?: string;
  /** Wraps a returned expression: identity on the server, JSON/String for AJAX answers. */
  ret: (expr: string, returns: MethodPlan['returns']) => string;
}

export const identityReturn = (expr: string): string => expr;

/** AJAX processors answer the browser with text. */
export const ajaxReturn = (expr: string, returns: MethodPlan['returns']): string =>
  returns === 'string' || returns === 'id' ? expr : returns === 'number' || returns === 'boolean' ? `String(${expr})` : `JSON.stringify(${expr})`;

/** A plausible literal for a field, as JavaScript source. */
export function literalFor(field: string, rng: Rng): string {
  const f = field.split('.').pop() ?? field;
  if (/priority|impact|urgency|risk|severity/.test(f)) return `'${rng.int(1, 4)}'`;
  if (/^(active|optional|mandatory|reservable|external|flagged|useful|resolved|processed|confidential|has_breached|known_error|cab_required|on_hold|inherited|grantable|made_sla|published|partner|customer|vendor|elevated_privilege|admin_overrides|advanced|load_completed|run_business_rules|use_mid_server|enforce_mandatory_fields|equipment_required)$/.test(f)) return rng.pick(['true', 'false']);
  if (/category/.test(f)) return `'${rng.pick(['software', 'hardware', 'network', 'inquiry', 'database', 'access'])}'`;
  if (/^type$|_type$/.test(f)) return `'${rng.pick(['standard', 'normal', 'emergency', 'internal', 'external'])}'`;
  if (/count|cost|price|quantity|units|rating|capacity|cpu|ram|order|weight|percentage/.test(f)) return String(rng.int(1, 500));
  if (/state|status|stage/.test(f)) return `'${rng.pick(['1', '2', '3', 'active', 'pending', 'complete'])}'`;
  if (/email/.test(f)) return `'${rng.pick(['ops', 'service.desk', 'hr.team', 'it.support'])}@example.com'`;
  return `'${rng.pick(['pending', 'review', 'default', 'manual', 'auto', 'n/a', 'legacy'])}'`;
}

export function indent(lines: readonly string[], levels: number): string[] {
  const pad = '    '.repeat(levels);
  return lines.map((l) => (l === '' ? '' : pad + l));
}

/** ES class bodies use block-scoped declarations, as code written in ES2021 mode does. */
export function toBlockScoped(lines: readonly string[]): string[] {
  return lines.map((l) => l.replace(/^(\s*)var /, '$1let ').replace(/for \(var /g, 'for (let '));
}

function objectOf(rng: Rng, fields: readonly string[], rec: string, withId: boolean): string[] {
  const picked = rng.sample(fields, rng.int(2, Math.min(4, fields.length)));
  const props = picked.map((f) => `${fieldToVar(f)}: ${rng.chance(0.3) ? `${rec}.getDisplayValue('${f}')` : `${rec}.getValue('${f}')`}`);
  if (withId) props.unshift(`sys_id: ${rec}.getUniqueValue()`);
  return props.map((p, i) => `    ${p}${i < props.length - 1 ? ',' : ''}`);
}

/** `var gr = ...lookup...; if (!gr) return <fail>;` in the shape's own style. */
function lookup(o: BodyOptions, table: string, idExpr: string, fail: string, rec = 'gr'): string[] {
  if (o.helper !== undefined) {
    return [`var ${rec} = ${o.helper}_getRecord('${table}', ${idExpr});`, `if (!${rec}) {`, `    return${fail ? ' ' + fail : ''};`, '}'];
  }
  return [`var ${rec} = new GlideRecord('${table}');`, `if (!${rec}.get(${idExpr})) {`, `    return${fail ? ' ' + fail : ''};`, '}'];
}

function openFilter(e: Entity, rec: string, rng: Rng): string {
  if (e.state && rng.chance(0.6)) return `${rec}.addQuery('${e.state.field}', 'IN', '${e.state.open.join(',')}');`;
  return `${rec}.addActiveQuery();`;
}

function paramOf(m: MethodPlan, kind: ParamPlan['kind']): string | undefined {
  return m.params.find((p) => p.kind === kind)?.name;
}

function maybeLog(o: BodyOptions, m: MethodPlan): string[] {
  if (!o.rng.chance(0.25)) return [];
  const first = m.params[0];
  const level = o.rng.pick(['debug', 'info']);
  return [`gs.${level}('${o.logMethod ? `${o.logName}.${m.name}` : o.logName}: ' + ${first ? (first.kind === 'record' || first.kind === 'fields' ? `JSON.stringify(${first.name})` : first.name) : `'start'`});`];
}

/** The body of one Script Include method. */
export function methodBody(m: MethodPlan, o: BodyOptions): string[] {
  const { rng } = o;
  const e = m.entity;
  const t = e.table;
  const R = (expr: string) => `return ${o.ret(expr, m.returns)};`;
  const sysId = paramOf(m, 'sysId') ?? 'sysId';
  const out: string[] = maybeLog(o, m);
  switch (m.template) {
    case 'list': {
      const limit = paramOf(m, 'limit');
      const first = m.params[0].name;
      out.push('var results = [];', `var gr = new GlideRecord('${t}');`, `gr.addQuery('${m.field}', ${first});`);
      if (/Overdue|Stale/.test(m.name)) out.push(`gr.addQuery('${e.date}', '<', new GlideDateTime());`);
      else out.push(openFilter(e, 'gr', rng));
      out.push(`gr.orderByDesc('${e.date}');`);
      if (limit) out.push(`gr.setLimit(${limit} || ${rng.pick([20, 50, 100])});`);
      out.push('gr.query();', 'while (gr.next()) {', '    results.push({', ...indent(objectOf(rng, e.fields, 'gr', true), 1), '    });', '}', R('results'));
      break;
    }
    case 'count': {
      const value = m.params[0].name;
      out.push(`var ga = new GlideAggregate('${t}');`, `ga.addQuery('${m.field}', ${value});`);
      if (rng.chance(0.5)) out.push(openFilter(e, 'ga', rng));
      out.push("ga.addAggregate('COUNT');", 'ga.query();', 'if (ga.next()) {', `    ${R("parseInt(ga.getAggregate('COUNT'), 10)")}`, '}', R('0'));
      break;
    }
    case 'group-count':
      out.push(
        'var counts = {};',
        `var ga = new GlideAggregate('${t}');`,
        `ga.addAggregate('COUNT', '${m.field}');`,
        `ga.groupBy('${m.field}');`,
        'ga.query();',
        'while (ga.next()) {',
        `    counts[ga.getValue('${m.field}')] = parseInt(ga.getAggregate('COUNT', '${m.field}'), 10);`,
        '}',
        R('counts'),
      );
      break;
    case 'details': {
      out.push(...lookup(o, t, sysId, m.returns === 'string' ? o.ret("''", 'string') : o.ret('null', 'object')));
      if (m.returns === 'string') out.push(R(`gr.getDisplayValue('${m.field}')`));
      else out.push('var info = {', ...objectOf(rng, e.fields, 'gr', rng.chance(0.5)), '};', R('info'));
      break;
    }
    case 'create': {
      out.push(`var gr = new GlideRecord('${t}');`, 'gr.initialize();');
      const fields = paramOf(m, 'fields');
      if (fields) {
        out.push(`for (var key in ${fields}) {`, `    if (${fields}.hasOwnProperty(key)) {`, `        gr.setValue(key, ${fields}[key]);`, '    }', '}');
      } else {
        out.push(`gr.setValue('${e.user}', ${paramOf(m, 'userId')});`, `gr.setValue('${m.field}', ${paramOf(m, 'value')});`);
      }
      if (e.state) out.push(`gr.setValue('${e.state.field}', '${e.state.open[0]}');`);
      out.push('var id = gr.insert();');
      if (rng.chance(0.4)) out.push(`gs.info('${o.logName}: created ${t} ' + id);`);
      out.push(R('id'));
      break;
    }
    case 'transition': {
      const notes = paramOf(m, 'notes') ?? 'notes';
      out.push(...lookup(o, t, sysId, o.ret('false', 'boolean')));
      if (e.state) {
        out.push(`if (gr.getValue('${e.state.field}') == '${e.state.closed}') {`, `    ${R('false')}`, '}', `gr.setValue('${e.state.field}', '${m.verb === 'reopen' ? e.state.open[0] : e.state.closed}');`);
      } else {
        out.push(`gr.setValue('${m.field}', ${literalFor(m.field, rng)});`);
      }
      out.push(`if (${notes}) {`, `    gr.setValue('${rng.pick(['work_notes', 'comments', e.fields[0]])}', ${notes});`, '}');
      if (rng.chance(0.3)) out.push('gr.setWorkflow(false);');
      out.push(R('gr.update() != null'));
      break;
    }
    case 'assign': {
      const who = m.params[1].name;
      out.push(...lookup(o, t, sysId, o.ret('false', 'boolean')), `gr.setValue('${m.field}', ${who});`);
      if (m.field === e.group) out.push("gr.setValue('assigned_to', '');");
      if (rng.chance(0.4)) out.push(`gs.eventQueue('${rng.pick(o.domain.events)}', gr, ${who}, gs.getUserID());`);
      out.push('gr.update();', R('true'));
      break;
    }
    case 'calculate': {
      out.push(...lookup(o, t, sysId, o.ret('0', 'number')));
      if (m.concept === 'Score' || m.concept === 'Cost' || m.concept === 'Risk') {
        out.push('var score = 0;');
        for (const f of rng.sample(e.fields, 2)) out.push(`if (gr.getValue('${f}') == ${literalFor(f, rng)}) {`, `    score += ${rng.int(5, 40)};`, '}');
        out.push(R('score'));
      } else {
        out.push(`var start = new GlideDateTime(gr.getValue('${e.date}'));`, 'var now = new GlideDateTime();');
        if (m.concept === 'BreachTime' || m.concept === 'DueDate') {
          out.push('var due = new GlideDateTime(start);', `due.addSeconds(parseInt(gs.getProperty('${rng.pick(o.domain.properties)}', '${rng.pick([8, 24, 72])}'), 10) * 3600);`, R('due.getNumericValue() - now.getNumericValue()'));
        } else {
          out.push('var diff = GlideDateTime.subtract(start, now);');
          if (rng.chance(0.4)) out.push('var duration = new GlideDuration(diff.getNumericValue());', `gs.debug('${o.logName}: ' + duration.getDisplayValue());`);
          out.push(R('Math.round(diff.getNumericValue() / 1000)'));
        }
      }
      break;
    }
    case 'validate': {
      const rec = paramOf(m, 'record') ?? 'gr';
      out.push('var errors = [];');
      for (const f of rng.sample(e.fields, rng.int(1, 3))) {
        out.push(`if (!${rec}.getValue('${f}')) {`, `    errors.push('${f.replace(/_/g, ' ')} is required');`, '}');
      }
      if (rng.chance(0.4)) {
        const role = rng.pick(o.domain.roles);
        out.push(`if (!gs.hasRole('${role}')) {`, `    errors.push('Missing role ${role}');`, '}');
      }
      out.push(R('{ valid: errors.length === 0, errors: errors }'));
      break;
    }
    case 'check': {
      if (m.name.startsWith('has')) {
        out.push(`var gr = new GlideRecord('${t}');`, `gr.addQuery('${m.field}', ${m.params[0].name});`, openFilter(e, 'gr', rng), 'gr.setLimit(1);', 'gr.query();', R('gr.hasNext()'));
      } else if (m.name.startsWith('can')) {
        const user = paramOf(m, 'userId') ?? 'userId';
        out.push(`if (gs.hasRole('${rng.pick(o.domain.roles)}')) {`, `    ${R('true')}`, '}', ...lookup(o, t, sysId, o.ret('false', 'boolean')), R(`gr.getValue('${e.user}') == ${user}`));
      } else {
        out.push(...lookup(o, t, sysId, o.ret('false', 'boolean')));
        if (e.state && rng.chance(0.5)) out.push(R(`gr.getValue('${e.state.field}') == '${e.state.closed}'`));
        else if (rng.chance(0.5)) out.push(R(`new GlideDateTime(gr.getValue('${e.date}')).before(new GlideDateTime())`));
        else out.push(R(`gr.getValue('${m.field}') == ${literalFor(m.field, rng)}`));
      }
      break;
    }
    case 'payload': {
      const asString = m.returns === 'string';
      out.push(...lookup(o, t, sysId, o.ret(asString ? "''" : 'null', m.returns)), 'var payload = {', `    table: '${t}',`, ...objectOf(rng, e.fields, 'gr', true), '};');
      if (o.domain.key === 'integration' || rng.chance(0.15)) {
        out.push(
          "var request = new sn_ws.RESTMessageV2();",
          `request.setEndpoint(gs.getProperty('${rng.pick(o.domain.properties)}'));`,
          "request.setHttpMethod('post');",
          "request.setRequestHeader('Content-Type', 'application/json');",
          'request.setRequestBody(JSON.stringify(payload));',
          'var response = request.execute();',
          'if (response.getStatusCode() != 200) {',
          `    gs.error('${o.logName}: ' + response.getErrorMessage());`,
          '}',
        );
      }
      out.push(R(asString ? 'JSON.stringify(payload)' : 'payload'));
      break;
    }
    case 'link': {
      const other = m.other ?? e;
      const otherId = paramOf(m, 'otherId') ?? 'otherId';
      const ref = other.fields.find((f) => f === t || f === e.noun.toLowerCase()) ?? 'parent';
      out.push(`var related = new GlideRecord('${other.table}');`, `if (!related.get(${otherId})) {`, `    ${R('false')}`, '}', `related.setValue('${ref}', ${sysId});`, R('related.update() != null'));
      break;
    }
    case 'notify': {
      out.push(...lookup(o, t, sysId, ''));
      if (o.domain.key === 'notification' && rng.chance(0.6)) {
        out.push('var mail = new GlideEmailOutbound();', `mail.setSubject('${e.noun} ' + gr.getDisplayValue());`, `mail.addAddress(gr.${e.user}.email.toString());`, `mail.setBody(gr.getValue('${rng.pick(e.fields)}'));`, 'mail.save();');
      } else {
        out.push(`gs.eventQueue('${rng.pick(o.domain.events)}', gr, gr.getValue('${e.user}'), gs.getUserID());`);
      }
      break;
    }
    case 'rank': {
      const limit = m.params[0].name;
      // Written tightly on purpose in some scripts: `]]>` inside a script must survive CDATA.
      const cmp = rng.chance(0.6) ? 'counts[keys[i]]>0' : 'counts[keys[i]] > 0';
      out.push(
        'var counts = {};',
        `var ga = new GlideAggregate('${t}');`,
        `ga.addAggregate('COUNT', '${m.field}');`,
        `ga.groupBy('${m.field}');`,
        'ga.query();',
        'while (ga.next()) {',
        `    counts[ga.getValue('${m.field}')] = parseInt(ga.getAggregate('COUNT', '${m.field}'), 10);`,
        '}',
        'var keys = Object.keys(counts);',
        'var top = [];',
        'for (var i = 0; i < keys.length; i++) {',
        `    if (${cmp}) {`,
        '        top.push({ value: keys[i], count: counts[keys[i]] });',
        '    }',
        '}',
        'top.sort(function(a, b) {',
        '    return b.count - a.count;',
        '});',
        R(`top.slice(0, ${limit} || 10)`),
      );
      break;
    }
  }
  return out;
}

/** The private lookup helper, as the lines of its body. */
export function getRecordBody(): string[] {
  return ['var gr = new GlideRecord(table);', 'if (gr.get(sysId)) {', '    return gr;', '}', 'return null;'];
}

/** The request parameter an AJAX processor reads for one of its arguments. */
export function sysparmName(p: ParamPlan): string {
  return 'sysparm_' + p.name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
}
