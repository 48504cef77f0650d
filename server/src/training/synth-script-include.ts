/**
 * Writes the script of one planned Script Include in its shape (Class.create + prototype, an
 * AJAX processor, an extends chain, a classless function, an ES class, a revealing module or an
 * object literal), with JSDoc where the plan asks for it, and the methods that callers planned
 * inside it. Pure: the same plan and seed give the same text.
 */
import { rngFor, Rng } from './synth-random';
import { MethodPlan, ParamPlan, SiPlan } from './synth-plan';
import { BodyOptions, ajaxReturn, getRecordBody, identityReturn, indent, methodBody, sysparmName, toBlockScoped } from './synth-code';
import { camelWords } from './synth-vocabulary';

/** A method written into a host Script Include by a planned caller. */
export interface ExtraMethod {
  name: string;
  params: string[];
  body: string[];
}

interface MethodText {
  name: string;
  params: string[];
  body: string[];
  jsdoc: string[];
  isStatic: boolean;
}

const PARAM_TYPES: Record<ParamPlan['kind'], string> = {
  sysId: 'string', userId: 'string', groupId: 'string', value: 'string', record: 'GlideRecord',
  notes: 'string', fields: 'Object', otherId: 'string', limit: 'number',
};

const RETURN_TYPES: Record<MethodPlan['returns'], string> = {
  list: 'Array', number: 'number', map: 'Object', object: 'Object', id: 'string', boolean: 'boolean', void: 'void', string: 'string',
};

const PARAM_DOCS: Record<ParamPlan['kind'], string> = {
  sysId: 'sys_id of the record', userId: 'sys_id of the user', groupId: 'sys_id of the group', value: 'value to match',
  record: 'the record to check', notes: 'text added to the journal', fields: 'field values by name', otherId: 'sys_id of the related record',
  limit: 'maximum number of rows',
};

/** A one-line summary from the method's name: `getOpenIncidentsForUser` -> `Returns open incidents for user.` */
function summaryOf(m: MethodPlan, rng: Rng): string {
  const words = camelWords(m.name).split(' ');
  const rest = words.slice(1).join(' ');
  const head = words[0];
  const sentence =
    head === 'get' ? `Returns ${rest}` :
    head === 'is' ? `Whether the ${words.slice(1, -1).join(' ')} is ${words[words.length - 1]}` :
    head === 'has' ? `Whether the user has ${rest}` :
    head === 'can' ? `Whether the user can ${rest}` :
    `${head[0].toUpperCase()}${head.slice(1)}${head.endsWith('s') ? 'es' : 's'} ${rest}`;
  const where = rng.chance(0.35) ? ` Reads ${m.entity.table}.` : '';
  return `${sentence}.${where}`;
}

function exampleCall(si: SiPlan, m: MethodPlan): string[] {
  const args = m.params.map((p) => (p.kind === 'record' ? 'current' : p.kind === 'userId' ? 'gs.getUserID()' : p.kind === 'limit' ? '10' : p.kind === 'fields' ? '{}' : `'${p.name}'`));
  if (si.shape === 'classless') return [`var result = ${si.name}(${args.join(', ')});`];
  if (si.shape === 'revealing-module' || si.shape === 'object-literal' || m.isStatic) return [`var result = ${si.name}.${m.name}(${args.join(', ')});`];
  if (si.shape === 'ajax') {
    return [`var ga = new GlideAjax('${si.name}');`, `ga.addParam('sysparm_name', '${m.name}');`, ...m.params.map((p) => `ga.addParam('${sysparmName(p)}', value);`), 'ga.getXMLAnswer(callback);'];
  }
  return [`var util = new ${si.name}();`, `var result = util.${m.name}(${args.join(', ')});`];
}

function methodJsDoc(si: SiPlan, m: MethodPlan, rng: Rng): string[] {
  const lines = [summaryOf(m, rng)];
  if (si.shape !== 'ajax') {
    for (const p of m.params) lines.push(`@param {${PARAM_TYPES[p.kind]}} ${p.name} ${PARAM_DOCS[p.kind]}`);
  } else {
    for (const p of m.params) lines.push(`Reads ${sysparmName(p)}: ${PARAM_DOCS[p.kind]}.`);
  }
  if (m.returns !== 'void') lines.push(`@returns {${si.shape === 'ajax' ? 'string' : RETURN_TYPES[m.returns]}} ${camelWords(m.name).split(' ').slice(1).join(' ')}`);
  if (rng.chance(0.3)) lines.push('@example', ...exampleCall(si, m));
  return ['/**', ...lines.map((l) => ` * ${l}`), ' */'];
}

function classJsDoc(si: SiPlan): string[] {
  const fallback = `${camelWords(si.nounPart)} ${camelWords(si.suffix).toLowerCase()} for the ${si.entity.table} table.`;
  const summary = si.description ?? fallback[0].toUpperCase() + fallback.slice(1);
  const lines = [summary];
  if (si.parent) lines.push(`@extends ${si.parent.name}`);
  if (si.clientCallable) lines.push('Client callable: use through GlideAjax.');
  return ['/**', ...lines.map((l) => ` * ${l}`), ' */'];
}

/** `Parent` or `global.Parent` as the child's scope sees it. */
function parentRef(si: SiPlan): string {
  const p = si.parent!;
  return p.scope.scope !== si.scope.scope ? `${p.scope.scope}.${p.name}` : p.name;
}

function methodTexts(si: SiPlan, rng: Rng, helperPrefix: string | undefined, extra: readonly ExtraMethod[]): MethodText[] {
  const out: MethodText[] = [];
  for (const m of si.methods) {
    const usesHelper = helperPrefix !== undefined && !m.isStatic;
    const opts: BodyOptions = {
      rng,
      domain: si.domain,
      logName: si.name,
      logMethod: si.shape !== 'classless',
      helper: usesHelper ? helperPrefix : undefined,
      ret: si.shape === 'ajax' ? ajaxReturn : identityReturn,
    };
    let body = methodBody(m, opts);
    let params = m.params.map((p) => p.name);
    if (si.shape === 'ajax') {
      body = [...m.params.map((p) => `var ${p.name} = this.getParameter('${sysparmName(p)}');`), ...body];
      params = [];
    }
    out.push({ name: m.name, params, body, jsdoc: si.jsdoc ? methodJsDoc(si, m, rng) : [], isStatic: m.isStatic });
  }
  for (const x of extra) out.push({ name: x.name, params: x.params, body: x.body, jsdoc: [], isStatic: false });
  return out;
}

/** Methods as `name: function(a) {...},` entries of an object literal. */
function propertyMethods(methods: readonly MethodText[]): string[] {
  const out: string[] = [];
  for (const m of methods) {
    out.push(...m.jsdoc, `${m.name}: function(${m.params.join(', ')}) {`, ...indent(m.body, 1), '},', '');
  }
  return out;
}

const HELPER: ExtraMethod = { name: '_getRecord', params: ['table', 'sysId'], body: getRecordBody() };

function renderClassCreate(si: SiPlan, methods: MethodText[], rng: Rng, helper: boolean): string[] {
  const init = rng.chance(0.5) ? [`this.table = '${si.entity.table}';`] : [];
  const entries = [
    ...propertyMethods([{ name: 'initialize', params: [], body: init, jsdoc: [], isStatic: false }]),
    ...propertyMethods(methods),
    ...(helper ? propertyMethods([{ ...HELPER, jsdoc: [], isStatic: false }]) : []),
    `type: '${si.name}'`,
  ];
  return [`var ${si.name} = Class.create();`, `${si.name}.prototype = {`, ...indent(entries, 1), '};'];
}

function renderExtends(si: SiPlan, methods: MethodText[], rng: Rng, helper: boolean): string[] {
  const base = si.shape === 'ajax' ? (si.scope.scope === 'global' ? 'AbstractAjaxProcessor' : 'global.AbstractAjaxProcessor') : parentRef(si);
  const init: MethodText[] =
    si.shape === 'extends-child' && rng.chance(0.4)
      ? [{ name: 'initialize', params: [], body: [`${base}.prototype.initialize.call(this);`], jsdoc: [], isStatic: false }]
      : [];
  const entries = [
    ...propertyMethods(init),
    ...propertyMethods(methods),
    ...(helper ? propertyMethods([{ ...HELPER, jsdoc: [], isStatic: false }]) : []),
    `type: '${si.name}'`,
  ];
  return [`var ${si.name} = Class.create();`, `${si.name}.prototype = Object.extendsObject(${base}, {`, ...indent(entries, 1), '});'];
}

function renderClassless(si: SiPlan, methods: MethodText[]): string[] {
  const m = methods[0];
  return [...m.jsdoc, `function ${si.name}(${m.params.join(', ')}) {`, ...indent(m.body, 1), '}'];
}

function renderEsClass(si: SiPlan, methods: MethodText[], helper: boolean): string[] {
  const body: string[] = ['constructor() {', `    this.table = '${si.entity.table}';`, '}', ''];
  const all = helper ? [...methods, { ...HELPER, jsdoc: [], isStatic: false }] : methods;
  for (const m of all) {
    body.push(...m.jsdoc, `${m.isStatic ? 'static ' : ''}${m.name}(${m.params.join(', ')}) {`, ...indent(toBlockScoped(m.body), 1), '}', '');
  }
  body.pop();
  return [`class ${si.name} {`, ...indent(body, 1), '}'];
}

function renderRevealing(si: SiPlan, methods: MethodText[], helper: boolean): string[] {
  const body: string[] = [];
  if (helper) body.push(`function ${HELPER.name}(${HELPER.params.join(', ')}) {`, ...indent(HELPER.body, 1), '}', '');
  for (const m of methods) body.push(...m.jsdoc, `function ${m.name}(${m.params.join(', ')}) {`, ...indent(m.body, 1), '}', '');
  const exported = methods.map((m) => `    ${m.name}: ${m.name},`);
  body.push('return {', ...exported, `    type: '${si.name}'`, '};');
  return [`var ${si.name} = (function() {`, ...indent(body, 1), '})();'];
}

function renderObjectLiteral(si: SiPlan, methods: MethodText[], helper: boolean): string[] {
  const entries = [...propertyMethods(methods), ...(helper ? propertyMethods([{ ...HELPER, jsdoc: [], isStatic: false }]) : []), `type: '${si.name}'`];
  return [`var ${si.name} = {`, ...indent(entries, 1), '};'];
}

/** The script of a Script Include, with `extra` methods (calls placed by callers) appended. */
export function renderScriptIncludeScript(seed: number, si: SiPlan, extra: readonly ExtraMethod[]): string {
  const rng = rngFor(seed, 'si-script', si.index);
  // Classless functions have nowhere to keep a helper; the others use one about half the time.
  const helper = si.shape !== 'classless' && rng.chance(0.5);
  const prefix = helper ? (si.shape === 'revealing-module' ? '' : 'this.') : undefined;
  const methods = methodTexts(si, rng, prefix, extra);
  let lines: string[];
  switch (si.shape) {
    case 'class-create': lines = renderClassCreate(si, methods, rng, helper); break;
    case 'ajax':
    case 'extends-child': lines = renderExtends(si, methods, rng, helper); break;
    case 'classless': lines = renderClassless(si, methods); break;
    case 'es-class': lines = renderEsClass(si, methods, helper); break;
    case 'revealing-module': lines = renderRevealing(si, methods, helper); break;
    case 'object-literal': lines = renderObjectLiteral(si, methods, helper); break;
  }
  const head = si.jsdoc && si.shape !== 'classless' ? classJsDoc(si) : [];
  return [...head, ...lines].join('\n') + '\n';
}
