/**
 * The plan of a synthetic instance: which scopes and packages exist, which Script Includes live
 * where (name, shape, access, methods) and which callers use which of them, all decided before a
 * line of code is written. Rendering (synth-script-include.ts, synth-callers.ts) turns the plan
 * into scripts; keeping the two apart lets a Script Include hold the calls other Script Includes
 * place in it, and lets tests check the rules (visibility, client-callable) on the plan itself.
 */
import { Access, CallForm } from '../model';
import { createRng, deriveSeed, Rng, rngFor } from './synth-random';
import { AJAX_SUFFIXES, DOMAINS, Domain, Entity, SUFFIXES, VENDORS, camelWords, fieldToCamel } from './synth-vocabulary';

export type Shape = 'class-create' | 'ajax' | 'extends-child' | 'classless' | 'es-class' | 'revealing-module' | 'object-literal';

export type Template =
  | 'list' | 'count' | 'group-count' | 'details' | 'create' | 'transition' | 'assign'
  | 'calculate' | 'validate' | 'check' | 'payload' | 'link' | 'notify' | 'rank';

export type ParamKind = 'sysId' | 'userId' | 'groupId' | 'value' | 'record' | 'notes' | 'fields' | 'otherId' | 'limit';

export type Returns = 'list' | 'number' | 'map' | 'object' | 'id' | 'boolean' | 'void' | 'string';

export interface ParamPlan {
  name: string;
  kind: ParamKind;
}

export interface MethodPlan {
  name: string;
  template: Template;
  entity: Entity;
  params: ParamPlan[];
  returns: Returns;
  /** The field the method is about: queried, counted by, set. */
  field: string;
  isStatic: boolean;
  verb?: string;
  concept?: string;
  /** The second record of a `link` method. */
  other?: Entity;
}

export interface PackageRef {
  source: string;
  name: string;
  sysId: string;
}

export interface ScopePlan {
  scope: string;
  display: string;
  sysId: string;
  vendor?: string;
  domains: Domain[];
  /** The app's own package; global-scope records take their domain's plugin instead. */
  pkg?: PackageRef;
}

export interface SiPlan {
  index: number;
  sysId: string;
  name: string;
  apiName: string;
  scope: ScopePlan;
  pkg: PackageRef;
  domain: Domain;
  entity: Entity;
  shape: Shape;
  parent?: SiPlan;
  access: Access;
  clientCallable: boolean;
  active: boolean;
  description?: string;
  jsdoc: boolean;
  methods: MethodPlan[];
  /** Callers whose call lives in a method added to this Script Include. */
  hosted: CallerPlan[];
  /** The name without qualifier and suffix, for children and descriptions (`IncidentSLA`). */
  nounPart: string;
  suffix: string;
}

export type CallerKind =
  | 'business-rule' | 'client-script' | 'ui-action' | 'client-ui-action' | 'scheduled-job'
  | 'fix-script' | 'rest-operation' | 'atf-step' | 'script-include' | 'processor' | 'ui-script';

/** How much of the target's vocabulary the caller's surrounding code carries. */
export type Signal = 'strong' | 'medium' | 'weak';

export type CallStyle = 'chain' | 'var' | 'static' | 'function' | 'ajax';

export interface CallPlan {
  target: SiPlan;
  method?: MethodPlan;
  form: CallForm;
  /** Scope prefix written at the call (`x_acme_hr` in `new x_acme_hr.HRUtils()`). */
  qualifier?: string;
  style: CallStyle;
}

export interface CallerPlan {
  index: number;
  kind: CallerKind;
  sysId: string;
  scope: ScopePlan;
  pkg: PackageRef;
  signal: Signal;
  /** The record the surrounding code works on; the target's own record when the signal is strong. */
  entity: Entity;
  domain: Domain;
  calls: CallPlan[];
  /** For kind `script-include`: the Script Include the calling method is added to. */
  host?: SiPlan;
}

export interface InstancePlan {
  seed: number;
  scopes: ScopePlan[];
  globalPackages: PackageRef[];
  scriptIncludes: SiPlan[];
  callers: CallerPlan[];
}

/**
 * How the instance is laid out. `scoped` (the default): a third of the Script Includes in global,
 * the rest in scoped apps, mostly classes of several methods. `platform`: what a real instance's
 * out-of-the-box code looks like, one global scope thousands wide, many short utility classes
 * and classless functions, with processors and UI scripts among the callers.
 */
export type InstanceShape = 'scoped' | 'platform';

export const INSTANCE_SHAPES: readonly InstanceShape[] = ['scoped', 'platform'];

export interface PlanOptions {
  scriptIncludes: number;
  seed: number;
  callersPerScriptInclude?: number;
  shape?: InstanceShape;
}

const cap = (s: string): string => (s.length > 0 ? s[0].toUpperCase() + s.slice(1) : s);

/** A 32-hex sys_id not used before in this instance. */
function newSysId(rng: Rng, used: Set<string>): string {
  for (;;) {
    const id = rng.hex(32);
    if (!used.has(id)) {
      used.add(id);
      return id;
    }
  }
}

function planScopes(rng: Rng, usedIds: Set<string>): { scopes: ScopePlan[]; globalPackages: PackageRef[] } {
  const global: ScopePlan = { scope: 'global', display: 'Global', sysId: 'global', domains: DOMAINS.slice() };
  const count = rng.int(6, 12);
  const vendors = rng.sample(VENDORS, count);
  // Walk the domains in a shuffled order so each seed builds its apps around different domains.
  const domainOrder = rng.sample(DOMAINS, DOMAINS.length);
  const scoped: ScopePlan[] = [];
  const usedScopes = new Set<string>();
  for (let i = 0; i < count; i++) {
    const primary = domainOrder[i % domainOrder.length];
    const domains = [primary];
    if (rng.chance(0.4)) {
      const secondary = rng.pick(DOMAINS);
      if (secondary !== primary) domains.push(secondary);
    }
    let scope = `x_${vendors[i]}_${rng.pick(primary.apps)}`;
    while (usedScopes.has(scope)) scope = `x_${vendors[i]}_${rng.pick(primary.apps)}${rng.int(2, 9)}`;
    usedScopes.add(scope);
    const display = `${cap(vendors[i])} ${primary.label}`;
    const sysId = newSysId(rng, usedIds);
    // A scoped app's package and scope are the same record, hence the same sys_id.
    scoped.push({ scope, display, sysId, vendor: vendors[i], domains, pkg: { source: scope, name: display, sysId } });
  }
  const globalPackages = DOMAINS.map((d) => ({ source: d.plugin, name: d.label, sysId: newSysId(rng, usedIds) }));
  return { scopes: [global, ...scoped], globalPackages };
}

function packageOf(plan: { globalPackages: PackageRef[] }, scope: ScopePlan, domain: Domain): PackageRef {
  return scope.pkg ?? plan.globalPackages[DOMAINS.indexOf(domain)];
}

// ---------------------------------------------------------------------------------------------
// Names

interface NameParts {
  name: string;
  nounPart: string;
  suffix: string;
}

function composeName(rng: Rng, domain: Domain, entity: Entity, shape: Shape, scope: ScopePlan): NameParts {
  const suffix = shape === 'ajax' ? rng.pick(AJAX_SUFFIXES) : rng.pick(SUFFIXES);
  const concept = rng.pick(domain.concepts);
  const form = rng.weighted([
    ['entity', 40],
    ['entity+concept', 25],
    ['qualifier+entity', 20],
    ['qualifier+entity+concept', 5],
    ['concept', 10],
  ] as const);
  let nounPart: string;
  switch (form) {
    case 'entity': nounPart = entity.noun; break;
    case 'entity+concept': nounPart = entity.noun + concept; break;
    case 'qualifier+entity': nounPart = rng.pick(domain.qualifiers) + entity.noun; break;
    case 'qualifier+entity+concept': nounPart = rng.pick(domain.qualifiers) + entity.noun + concept; break;
    case 'concept': nounPart = concept; break;
  }
  const vendorPrefix = scope.vendor && rng.chance(0.08) ? cap(scope.vendor) : '';
  return { name: vendorPrefix + nounPart + suffix, nounPart, suffix };
}

function childName(rng: Rng, parent: SiPlan): NameParts {
  const form = rng.weighted([['qualifier', 50], ['suffix', 30], ['extension', 20]] as const);
  if (form === 'qualifier') {
    const nounPart = rng.pick(parent.domain.qualifiers) + parent.nounPart;
    return { name: nounPart + parent.suffix, nounPart, suffix: parent.suffix };
  }
  if (form === 'suffix') {
    const suffix = rng.pick(SUFFIXES);
    return { name: parent.nounPart + suffix, nounPart: parent.nounPart, suffix };
  }
  const ext = rng.pick(['Custom', 'Ext', 'Override', 'V2', 'Local']);
  return { name: parent.name + ext, nounPart: parent.nounPart, suffix: parent.suffix + ext };
}

function uniqueName(used: Set<string>, make: () => NameParts): NameParts {
  for (let attempt = 0; attempt < 12; attempt++) {
    const parts = make();
    if (!used.has(parts.name)) {
      used.add(parts.name);
      return parts;
    }
  }
  // The vocabulary is finite: a large instance runs out of fresh compounds, as real ones do.
  const parts = make();
  for (let n = 2; ; n++) {
    const name = `${parts.name}${n}`;
    if (!used.has(name)) {
      used.add(name);
      return { ...parts, name };
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Methods

const LIST_ADJECTIVES = ['Open', 'Active', 'Pending', 'Overdue', 'Unassigned', 'Recent', 'Stale'];
const CHECK_ADJECTIVES = ['Overdue', 'Closed', 'Active', 'Valid', 'Eligible', 'Stale', 'Breached', 'Locked', 'Complete'];
const METRICS = ['Age', 'Duration', 'BreachTime', 'DueDate', 'Score', 'Cost', 'Risk', 'Elapsed'];
const AUDIENCES = ['Assignee', 'Watchers', 'Manager', 'Requester', 'Owner', 'Group'];

function param(kind: ParamKind, rng: Rng, entity: Entity, field: string): ParamPlan {
  const names: Record<ParamKind, readonly string[]> = {
    sysId: ['sysId', 'recordId', `${entity.short}Id`, `${entity.short}SysId`],
    userId: ['userId', 'userSysId', 'user'],
    groupId: ['groupId', 'groupSysId', 'group'],
    value: [fieldToCamel(field).charAt(0).toLowerCase() + fieldToCamel(field).slice(1), 'value'],
    record: ['gr', 'record', `${entity.short}Gr`, 'current'],
    notes: ['notes', 'comment', 'reason', 'workNotes'],
    fields: ['fields', 'values', 'data'],
    otherId: ['targetId', 'relatedId', 'parentId'],
    limit: ['limit', 'maxRows', 'max'],
  };
  return { kind, name: rng.pick(names[kind]) };
}

/** One method of a Script Include, or undefined when the template does not fit the entity. */
function planMethod(rng: Rng, domain: Domain, entity: Entity, template: Template, isStatic: boolean): MethodPlan | undefined {
  const field = rng.pick(entity.fields);
  const concept = rng.pick(domain.concepts);
  const base = { template, entity, field, isStatic, concept };
  const p = (kind: ParamKind, f = field) => param(kind, rng, entity, f);
  switch (template) {
    case 'list': {
      const byGroup = entity.group !== undefined && rng.chance(0.35);
      const adj = rng.pick(LIST_ADJECTIVES);
      const name = byGroup ? `get${adj}${entity.plural}ForGroup` : rng.chance(0.7) ? `get${adj}${entity.plural}ForUser` : `find${entity.plural}By${fieldToCamel(field)}`;
      const first = name.endsWith('ForGroup') ? p('groupId') : name.endsWith('ForUser') ? p('userId') : p('value');
      const params = rng.chance(0.4) ? [first, p('limit')] : [first];
      return { ...base, name, params, returns: 'list', field: name.startsWith('find') ? field : byGroup ? entity.group! : entity.user };
    }
    case 'count': {
      const name = rng.chance(0.6) ? `count${rng.pick(LIST_ADJECTIVES)}${entity.plural}By${fieldToCamel(field)}` : `get${entity.noun}CountFor${fieldToCamel(field)}`;
      return { ...base, name, params: [p('value')], returns: 'number' };
    }
    case 'group-count':
      return { ...base, name: `get${entity.noun}CountsBy${fieldToCamel(field)}`, params: [], returns: 'map' };
    case 'details': {
      const name = rng.pick([`get${entity.noun}Details`, `get${entity.noun}Info`, `get${entity.noun}${fieldToCamel(field)}`, `get${entity.noun}Summary`]);
      return { ...base, name, params: [p('sysId')], returns: name.endsWith(fieldToCamel(field)) ? 'string' : 'object' };
    }
    case 'create': {
      const name = rng.chance(0.6) ? `create${entity.noun}` : `create${concept}${entity.noun}`;
      const params = rng.chance(0.5) ? [p('fields')] : [p('userId'), p('value')];
      return { ...base, name, params, returns: 'id' };
    }
    case 'transition': {
      const verb = rng.pick(entity.verbs);
      return { ...base, name: `${verb}${entity.noun}`, verb, params: [p('sysId'), p('notes')], returns: 'boolean' };
    }
    case 'assign': {
      const toGroup = entity.group !== undefined && rng.chance(0.6);
      const name = toGroup ? `assign${entity.noun}ToGroup` : rng.chance(0.5) ? `assign${entity.noun}ToUser` : `reassign${entity.noun}`;
      return { ...base, name, params: [p('sysId'), toGroup ? p('groupId') : p('userId')], returns: 'boolean', field: toGroup ? entity.group! : entity.user };
    }
    case 'calculate': {
      const metric = rng.pick(METRICS);
      return { ...base, name: `calculate${entity.noun}${metric}`, params: [p('sysId')], returns: 'number', field: entity.date, concept: metric };
    }
    case 'validate': {
      const name = rng.chance(0.5) ? `validate${entity.noun}` : `validate${entity.noun}${concept}`;
      return { ...base, name, params: [p('record')], returns: 'object' };
    }
    case 'check': {
      const form = rng.int(0, 2);
      if (form === 0) return { ...base, name: `is${entity.noun}${rng.pick(CHECK_ADJECTIVES)}`, params: [p('sysId')], returns: 'boolean' };
      if (form === 1) return { ...base, name: `has${rng.pick(LIST_ADJECTIVES)}${entity.plural}`, params: [p('userId')], returns: 'boolean', field: entity.user };
      const verb = rng.pick(entity.verbs);
      return { ...base, name: `can${cap(verb)}${entity.noun}`, verb, params: [p('sysId'), p('userId')], returns: 'boolean' };
    }
    case 'payload': {
      const name = rng.pick([`build${entity.noun}Payload`, `get${entity.noun}AsJSON`, `serialize${entity.noun}`]);
      return { ...base, name, params: [p('sysId')], returns: name.startsWith('serialize') ? 'string' : 'object' };
    }
    case 'link': {
      const others = domain.entities.filter((e) => e !== entity);
      if (others.length === 0) return undefined;
      const other = rng.pick(others);
      return { ...base, name: `link${entity.noun}To${other.noun}`, other, params: [p('sysId'), p('otherId')], returns: 'boolean' };
    }
    case 'notify': {
      const name = rng.chance(0.6) ? `notify${entity.noun}${rng.pick(AUDIENCES)}` : `send${concept}Reminder`;
      return { ...base, name, params: [p('sysId')], returns: 'void' };
    }
    case 'rank':
      return { ...base, name: `getTop${entity.plural}By${fieldToCamel(field)}`, params: [p('limit')], returns: 'list' };
  }
}

const SERVER_TEMPLATES: readonly (readonly [Template, number])[] = [
  ['list', 14], ['count', 8], ['group-count', 5], ['details', 12], ['create', 7], ['transition', 10], ['assign', 6],
  ['calculate', 7], ['validate', 7], ['check', 10], ['payload', 5], ['link', 4], ['notify', 5], ['rank', 5],
];

/** Templates an AJAX processor renders: ones that answer a question from a form. */
const AJAX_TEMPLATES: readonly (readonly [Template, number])[] = [
  ['details', 30], ['check', 25], ['count', 15], ['list', 15], ['validate', 10], ['calculate', 10],
];

function planMethods(rng: Rng, si: { domain: Domain; entity: Entity; shape: Shape }, count: number): MethodPlan[] {
  const out: MethodPlan[] = [];
  const names = new Set<string>();
  const templates = si.shape === 'ajax' ? AJAX_TEMPLATES : SERVER_TEMPLATES;
  for (let attempt = 0; out.length < count && attempt < count * 6; attempt++) {
    // Most methods stay on the Script Include's own record; some reach the domain's others.
    const entity = rng.chance(0.7) ? si.entity : rng.pick(si.domain.entities);
    const isStatic = si.shape === 'es-class' && rng.chance(0.3);
    const m = planMethod(rng, si.domain, entity, rng.weighted(templates), isStatic);
    if (!m || names.has(m.name)) continue;
    // AJAX processors read their arguments from the request, not from JavaScript parameters.
    if (si.shape === 'ajax' && m.params.some((x) => x.kind === 'record' || x.kind === 'fields')) continue;
    names.add(m.name);
    out.push(m);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Descriptions

const ROLE_PHRASES: Record<string, readonly string[]> = {
  Utils: ['Utility functions for', 'Common utilities for'],
  Util: ['Utility functions for'],
  Helper: ['Helper methods for', 'Helpers used by business rules for'],
  Service: ['Service layer for', 'Server-side service that handles'],
  Manager: ['Manages', 'Coordinates'],
  API: ['Public API for', 'Scriptable API exposing'],
  Validator: ['Validates', 'Checks data quality of'],
  Calculator: ['Calculates values for', 'Computes metrics for'],
  Builder: ['Builds records and payloads for', 'Constructs'],
  Processor: ['Processes', 'Batch processing of'],
  Handler: ['Handles events for', 'Event handling for'],
  Client: ['Client wrapper for', 'Outbound client for'],
  DAO: ['Data access for', 'Queries and updates'],
  Engine: ['Rules engine for', 'Decision logic for'],
};

function describe(rng: Rng, nounPart: string, suffix: string, domain: Domain, entity: Entity, shape: Shape): string {
  const words = camelWords(nounPart);
  const extra = rng.sample(domain.concepts, 2).map((c) => camelWords(c));
  if (shape === 'ajax') return `Client-callable AJAX processor returning ${words} data to forms (${extra[0]}, ${extra[1]}).`;
  if (rng.chance(0.12)) {
    // Real descriptions are often unhelpful; keep some that say nothing about the domain.
    return rng.pick(['Misc helpers. Do not modify without review.', 'Used by the legacy portal.', 'See STRY0041121.', 'Shared functions & constants.', 'Helper functions <internal use only>.']);
  }
  const role = rng.pick(ROLE_PHRASES[suffix] ?? ['Functions for']);
  const table = rng.chance(0.4) ? ` on the ${entity.table} table` : '';
  return `${role} ${words}${table}: ${extra[0]} and ${extra[1]}.`;
}

// ---------------------------------------------------------------------------------------------
// Script Includes

const SHAPES: readonly (readonly [Shape, number])[] = [
  ['class-create', 50], ['ajax', 12], ['extends-child', 9], ['classless', 9], ['es-class', 6], ['revealing-module', 7], ['object-literal', 7],
];

/** The platform's own code: fewer ES classes and modules, many more classless functions and utility objects. */
const PLATFORM_SHAPES: readonly (readonly [Shape, number])[] = [
  ['class-create', 40], ['ajax', 10], ['extends-child', 8], ['classless', 24], ['es-class', 1], ['revealing-module', 5], ['object-literal', 12],
];

/** What differs between instance shapes (`LAYOUTS`, defined with the callers below). */
interface Layout {
  globalShare: number;
  shapes: readonly (readonly [Shape, number])[];
  /** Methods of a class or module: [fewest, most]. */
  classMethods: readonly [number, number];
  /** Kinds of callers of ordinary and of client-callable Script Includes. */
  serverKinds: readonly (readonly [CallerKind, number])[];
  clientKinds: readonly (readonly [CallerKind, number])[];
}

function planScriptIncludes(rng: Rng, count: number, plan: { scopes: ScopePlan[]; globalPackages: PackageRef[] }, usedIds: Set<string>, layout: Layout): SiPlan[] {
  const scoped = plan.scopes.slice(1);
  const scopeWeights = scoped.map((s) => [s, rng.int(1, 6)] as const);
  const usedNames = new Set<string>();
  const out: SiPlan[] = [];
  // Possible parents of extends chains, by scope and domain.
  const parents = new Map<string, SiPlan[]>();
  for (let index = 0; index < count; index++) {
    const scope = rng.chance(layout.globalShare) ? plan.scopes[0] : rng.weighted(scopeWeights);
    const domain =
      scope.scope === 'global' ? rng.pick(DOMAINS) : rng.weighted([[scope.domains[0], 75], [scope.domains[scope.domains.length - 1], 15], [rng.pick(DOMAINS), 10]] as const);
    let shape = rng.weighted(layout.shapes);
    let parent: SiPlan | undefined;
    if (shape === 'extends-child') {
      const local = parents.get(`${scope.scope}|${domain.key}`) ?? [];
      const fromGlobal = (parents.get(`global|${domain.key}`) ?? []).filter((p) => p.access === 'public');
      const pool = local.length > 0 && rng.chance(0.7) ? local : fromGlobal.length > 0 ? fromGlobal : local;
      if (pool.length > 0) parent = rng.pick(pool);
      else shape = 'class-create';
    }
    const entity = parent ? parent.entity : rng.weighted(domain.entities.map((e, i) => [e, i === 0 ? 3 : 1] as const));
    const parts = uniqueName(usedNames, () => (parent ? childName(rng, parent) : composeName(rng, domain, entity, shape, scope)));
    const access: Access =
      scope.scope === 'global' ? (rng.chance(0.9) ? 'public' : 'package_private') : shape === 'ajax' ? (rng.chance(0.85) ? 'public' : 'package_private') : rng.chance(0.5) ? 'public' : 'package_private';
    const methodCount = shape === 'classless' ? 1 : shape === 'ajax' ? rng.int(1, 4) : shape === 'extends-child' ? rng.int(1, 4) : rng.int(...layout.classMethods);
    const si: SiPlan = {
      index,
      sysId: newSysId(rng, usedIds),
      name: parts.name,
      apiName: `${scope.scope}.${parts.name}`,
      scope,
      pkg: packageOf(plan, scope, domain),
      domain,
      entity,
      shape,
      parent,
      access,
      clientCallable: shape === 'ajax',
      active: rng.chance(0.97),
      description: rng.chance(0.6) ? describe(rng, parts.nounPart, parts.suffix, domain, entity, shape) : undefined,
      jsdoc: rng.chance(0.4),
      methods: [],
      hosted: [],
      nounPart: parts.nounPart,
      suffix: parts.suffix,
    };
    si.methods = planMethods(rng, si, methodCount);
    if (si.methods.length === 0) si.methods = [planMethod(rng, domain, entity, 'details', false)!];
    // Only active classes become parents: a child of an inactive one would be broken code.
    if (shape === 'class-create' && si.active) {
      const key = `${scope.scope}|${domain.key}`;
      parents.set(key, [...(parents.get(key) ?? []), si]);
    }
    out.push(si);
  }
  return out;
}

/** Methods a caller may call on a Script Include: its own public ones and those it inherits. */
export function callableMethods(si: SiPlan): MethodPlan[] {
  const own = si.methods;
  if (!si.parent) return own;
  const names = new Set(own.map((m) => m.name));
  return [...own, ...callableMethods(si.parent).filter((m) => !names.has(m.name))];
}

/** Whether code in `scope` may call `target`: same scope, or a public target. */
export function canCall(scope: string, target: SiPlan): boolean {
  return target.scope.scope === scope || target.access === 'public';
}

// ---------------------------------------------------------------------------------------------
// Callers

const SERVER_KINDS: readonly (readonly [CallerKind, number])[] = [
  ['business-rule', 30], ['ui-action', 10], ['scheduled-job', 12], ['fix-script', 8], ['rest-operation', 10], ['atf-step', 7], ['script-include', 23],
];

const CLIENT_KINDS: readonly (readonly [CallerKind, number])[] = [['client-script', 75], ['client-ui-action', 25]];

const LAYOUTS: Record<InstanceShape, Layout> = {
  scoped: { globalShare: 0.35, shapes: SHAPES, classMethods: [2, 7], serverKinds: SERVER_KINDS, clientKinds: CLIENT_KINDS },
  // The platform's callers also include processors (server) and UI scripts (client, through GlideAjax).
  platform: { globalShare: 0.85, shapes: PLATFORM_SHAPES, classMethods: [1, 4], serverKinds: [...SERVER_KINDS, ['processor', 8]], clientKinds: [...CLIENT_KINDS, ['ui-script', 25]] },
};

/** Shape of the callers-per-Script-Include distribution: under 2, so its tail is heavy. */
const CALLER_TAIL = 1.5;

/**
 * How many callers one Script Include gets: heavy-tailed, as use is in real code (a few helpers
 * are called from everywhere, most from a few places), so how often something is called means
 * as much here as it does there. A Lomax draw with the given mean, rounded, capped at 100 means.
 */
function callerCount(rng: Rng, mean: number): number {
  if (mean <= 0) return 0;
  const scale = mean * (CALLER_TAIL - 1);
  const x = scale * (Math.pow(1 - rng.next(), -1 / CALLER_TAIL) - 1);
  return Math.min(Math.round(x), Math.ceil(mean * 100));
}

/** Neither name contains the other, so masking one never leaves the other half visible. */
function namesApart(a: string, b: string): boolean {
  return !a.includes(b) && !b.includes(a);
}

function qualifierFor(rng: Rng, callerScope: string, target: SiPlan): string | undefined {
  if (callerScope === target.scope.scope) return undefined;
  if (target.scope.scope === 'global') return rng.chance(0.8) ? 'global' : undefined;
  return target.scope.scope;
}

function planCall(rng: Rng, callerScope: string, target: SiPlan, client: boolean): CallPlan {
  const qualifier = qualifierFor(rng, callerScope, target);
  const methods = callableMethods(target);
  const method = rng.pick(methods);
  if (client) return { target, method, form: 'glide-ajax', qualifier, style: 'ajax' };
  switch (target.shape) {
    case 'classless':
      return { target, method: undefined, form: 'function', qualifier, style: 'function' };
    case 'revealing-module':
    case 'object-literal':
      return { target, method, form: 'static', qualifier, style: 'static' };
    default:
      if (method.isStatic) return { target, method, form: 'static', qualifier, style: 'static' };
      return { target, method, form: 'new', qualifier, style: rng.chance(0.45) ? 'chain' : 'var' };
  }
}

function pickCallerScope(rng: Rng, scopes: ScopePlan[], target: SiPlan): ScopePlan {
  if (target.access !== 'public' || rng.chance(0.65)) return target.scope;
  const others = scopes.filter((s) => s !== target.scope);
  return others.length > 0 ? rng.pick(others) : target.scope;
}

function pickHost(rng: Rng, target: SiPlan, sameDomain: SiPlan[], all: SiPlan[]): SiPlan | undefined {
  const fits = (h: SiPlan) =>
    h !== target &&
    h.active &&
    h.shape !== 'classless' &&
    canCall(h.scope.scope, target) &&
    namesApart(h.name, target.name) &&
    (!h.parent || namesApart(h.parent.name, target.name)) &&
    h.hosted.every((c) => c.calls.every((call) => namesApart(call.target.name, target.name)));
  for (const pool of [sameDomain, all]) {
    for (let attempt = 0; attempt < 10; attempt++) {
      const h = rng.pick(pool);
      if (fits(h)) return h;
    }
  }
  return undefined;
}

/** Share of server callers that call their target's whole habitual sequence, in order. */
const WORKFLOW_SHARE = 0.35;

/**
 * The habitual call sequences of an instance: real scripts call several Script Includes of one
 * area, and in the same order from script to script (look a record up, check it, update it).
 * Each active server-side Script Include of a domain joins one sequence of two to four, in an
 * order fixed for the instance. Drawn from their own generator, so the rest of the plan is the
 * same with or without them.
 */
function planWorkflows(rng: Rng, byDomain: Map<string, SiPlan[]>): Map<SiPlan, SiPlan[]> {
  const of = new Map<SiPlan, SiPlan[]>();
  for (const sis of byDomain.values()) {
    const pool = sis.filter((si) => si.active && !si.clientCallable);
    for (let i = pool.length - 1; i > 0; i--) {
      const j = rng.int(0, i);
      [pool[i], pool[j]] = [pool[j], pool[i]];
    }
    for (let at = 0; at < pool.length; ) {
      const flow: SiPlan[] = [];
      for (const si of pool.slice(at, at + rng.int(2, 4))) if (flow.every((f) => namesApart(f.name, si.name))) flow.push(si);
      at += Math.max(1, flow.length);
      if (flow.length > 1) for (const si of flow) of.set(si, flow);
    }
  }
  return of;
}

/** The calls of a caller that follows its target's sequence: every step its scope may call, in order. */
function workflowCalls(rng: Rng, scope: string, target: SiPlan, flow: readonly SiPlan[]): CallPlan[] {
  return flow.filter((si) => si === target || canCall(scope, si)).map((si) => planCall(rng, scope, si, false));
}

function planCallers(seed: number, rng: Rng, plan: InstancePlan, mean: number, usedIds: Set<string>, layout: Layout): CallerPlan[] {
  const byDomain = new Map<string, SiPlan[]>();
  for (const si of plan.scriptIncludes) byDomain.set(si.domain.key, [...(byDomain.get(si.domain.key) ?? []), si]);
  const workflows = planWorkflows(rngFor(seed, 'workflows'), byDomain);
  const callers: CallerPlan[] = [];
  for (const target of plan.scriptIncludes) {
    // Nobody calls an inactive Script Include: the index skips them, so such cases could not be answered.
    if (!target.active) continue;
    const n = callerCount(rng, mean);
    const sameDomain = byDomain.get(target.domain.key) ?? [target];
    for (let k = 0; k < n; k++) {
      const crng = createRng(deriveSeed(seed, 'caller-plan', callers.length));
      let kind = crng.weighted(target.clientCallable ? layout.clientKinds : layout.serverKinds);
      let host: SiPlan | undefined;
      if (kind === 'script-include') {
        host = pickHost(crng, target, sameDomain, plan.scriptIncludes);
        if (!host) kind = 'business-rule';
      }
      const scope = host ? host.scope : pickCallerScope(crng, plan.scopes, target);
      const signal = crng.weighted([['strong', 40], ['medium', 35], ['weak', 25]] as const);
      const call = planCall(crng, scope.scope, target, target.clientCallable);
      // The context record: the called method's own record when the signal is strong.
      const targetEntity = call.method?.entity ?? target.entity;
      const entity =
        signal === 'strong' ? targetEntity : signal === 'medium' ? crng.pick(target.domain.entities) : crng.pick(crng.pick(DOMAINS).entities);
      const domain = DOMAINS.find((d) => d.entities.includes(entity)) ?? target.domain;
      let calls = [call];
      if (!target.clientCallable && kind !== 'script-include' && crng.chance(0.15)) {
        const second = crng.pick(sameDomain);
        if (second !== target && second.active && !second.clientCallable && canCall(scope.scope, second) && namesApart(second.name, target.name)) {
          calls.push(planCall(crng, scope.scope, second, false));
        }
      }
      const flow = workflows.get(target);
      if (flow && kind !== 'script-include') {
        const wrng = createRng(deriveSeed(seed, 'caller-workflow', callers.length));
        if (wrng.chance(WORKFLOW_SHARE)) calls = workflowCalls(wrng, scope.scope, target, flow).map((c) => (c.target === target ? call : c));
      }
      const caller: CallerPlan = {
        index: callers.length,
        kind,
        sysId: newSysId(crng, usedIds),
        scope,
        pkg: host ? host.pkg : packageOf(plan, scope, domain),
        signal,
        entity,
        domain,
        calls,
        host,
      };
      if (host) host.hosted.push(caller);
      callers.push(caller);
    }
  }
  return callers;
}

/** The whole plan. Deterministic in (seed, counts). */
export function planInstance(opts: PlanOptions): InstancePlan {
  const rng = rngFor(opts.seed, 'plan');
  const usedIds = new Set<string>();
  const { scopes, globalPackages } = planScopes(rng, usedIds);
  const plan: InstancePlan = { seed: opts.seed, scopes, globalPackages, scriptIncludes: [], callers: [] };
  const layout = LAYOUTS[opts.shape ?? 'scoped'];
  plan.scriptIncludes = planScriptIncludes(rng, Math.max(0, Math.floor(opts.scriptIncludes)), plan, usedIds, layout);
  plan.callers = planCallers(opts.seed, rngFor(opts.seed, 'callers'), plan, opts.callersPerScriptInclude ?? 3, usedIds, layout);
  return plan;
}
