import * as assert from 'node:assert';
import {
  PLATFORM_PACKAGE,
  PLATFORM_SCOPE,
  PlatformApi,
  constructorSignatureOf,
  findPlatformApi,
  findPlatformMethods,
  parseSignature,
  platformApiNames,
  platformApis,
  platformCatalogProblems,
  signatureLabelOf,
  signatureOf,
} from '../../server/src/platform/platform-apis';

function api(name: string, side?: 'server' | 'client'): PlatformApi {
  const found = findPlatformApi(name, side);
  assert.ok(found, `${name} (${side ?? 'any side'}) is in the catalog`);
  return found;
}

function methodNames(a: PlatformApi): Set<string> {
  return new Set(a.methods.map((m) => m.name));
}

/** Methods written for each API, not copied in from a parent or an instance type. */
function ownMethodCount(apis: readonly PlatformApi[]): number {
  let n = 0;
  for (const a of apis) {
    const from = a.parent ?? (a.kind === 'global' ? a.type : undefined);
    const base = from ? apis.find((b) => b.side === a.side && b.name === from && b !== a) : undefined;
    const inherited = new Set(base ? base.methods : []);
    n += a.methods.filter((m) => !inherited.has(m)).length;
  }
  return n;
}

describe('platform-apis', () => {
  it('exports the package and scope the index files the catalog under', () => {
    assert.strictEqual(PLATFORM_PACKAGE, 'platform');
    assert.strictEqual(PLATFORM_SCOPE, 'global');
  });

  it('has no malformed entries', () => {
    assert.deepStrictEqual([...platformCatalogProblems()], []);
  });

  it('covers at least 30 APIs and 400 distinct methods', () => {
    const all = platformApis();
    assert.ok(all.length >= 30, `only ${all.length} APIs`);
    const own = ownMethodCount(all);
    assert.ok(own >= 400, `only ${own} methods`);
  });

  it('is well formed: unique names per side, described methods, typed params, optional params last', () => {
    for (const side of ['server', 'client'] as const) {
      const names = platformApis().filter((a) => a.side === side).map((a) => a.name);
      assert.strictEqual(new Set(names).size, names.length, `duplicate API names on the ${side} side`);
    }
    for (const a of platformApis()) {
      assert.ok(a.description.trim().length > 0, `${a.name} has a description`);
      const lists = [...a.methods.map((m) => ({ where: `${a.name}.${m.name}`, params: m.params })), { where: `new ${a.name}`, params: a.constructorParams ?? [] }];
      for (const m of a.methods) {
        assert.ok(m.description.trim().length > 0, `${a.name}.${m.name} has a description`);
        assert.ok(m.returns && m.returns.length > 0, `${a.name}.${m.name} has a return type`);
      }
      for (const { where, params } of lists) {
        let sawOptional = false;
        params.forEach((p, i) => {
          assert.ok(p.type.trim().length > 0, `${where}(${p.name}) has a type`);
          if (p.rest) assert.strictEqual(i, params.length - 1, `${where}: rest parameter last`);
          if (p.optional || p.rest) sawOptional = true;
          else assert.ok(!sawOptional, `${where}: required ${p.name} after an optional parameter`);
        });
      }
    }
  });

  it('returns a frozen catalog, the same one on every call', () => {
    const all = platformApis();
    assert.strictEqual(platformApis(), all);
    assert.ok(Object.isFrozen(all));
    const gr = api('GlideRecord', 'server');
    assert.ok(Object.isFrozen(gr) && Object.isFrozen(gr.methods) && Object.isFrozen(gr.methods[0].params));
    assert.throws(() => {
      'use strict';
      (gr.methods as unknown as unknown[]).push({});
    });
  });

  it('keeps GlideAjax, g_form and g_user client-only, and gs and current server-only', () => {
    for (const name of ['GlideAjax', 'g_form', 'g_user', 'g_list', 'spModal']) {
      assert.strictEqual(findPlatformApi(name, 'server'), undefined, `${name} is not on the server`);
      assert.strictEqual(api(name).side, 'client');
    }
    for (const name of ['gs', 'current', 'previous', 'GlideAggregate', 'sn_ws.RESTMessageV2']) {
      assert.strictEqual(findPlatformApi(name, 'client'), undefined, `${name} is not on the client`);
      assert.strictEqual(api(name).side, 'server');
    }
  });

  it('has GlideRecord on both sides with different surfaces', () => {
    const server = api('GlideRecord', 'server');
    const client = api('GlideRecord', 'client');
    assert.notStrictEqual(server, client);
    const serverNames = methodNames(server);
    const clientNames = methodNames(client);
    for (const m of ['addQuery', 'addEncodedQuery', 'addActiveQuery', 'addNullQuery', 'addNotNullQuery', 'addJoinQuery', 'query', 'next', 'hasNext', 'get', 'getValue', 'setValue', 'getDisplayValue', 'getUniqueValue', 'getElement', 'getRowCount', 'insert', 'update', 'deleteRecord', 'deleteMultiple', 'updateMultiple', 'initialize', 'newRecord', 'orderBy', 'orderByDesc', 'setLimit', 'chooseWindow', 'canRead', 'canWrite', 'canCreate', 'canDelete', 'isValidRecord', 'isNewRecord', 'getTableName', 'getEncodedQuery', 'setWorkflow', 'autoSysFields', 'setAbortAction', 'changes', 'operation']) {
      assert.ok(serverNames.has(m), `server GlideRecord.${m}`);
    }
    assert.ok(clientNames.has('addQuery') && clientNames.has('query'));
    for (const m of ['setWorkflow', 'autoSysFields', 'addEncodedQuery', 'getElement']) {
      assert.ok(!clientNames.has(m), `client GlideRecord has no ${m}`);
    }
    assert.ok(clientNames.size < serverNames.size);
  });

  it('gives subclasses and typed globals the surface they inherit, with their own members first', () => {
    const ga = api('GlideAggregate');
    assert.strictEqual(ga.parent, 'GlideRecord');
    const gaNames = methodNames(ga);
    for (const m of ['addAggregate', 'getAggregate', 'groupBy', 'orderByAggregate', 'addHaving', 'addQuery', 'query', 'next']) assert.ok(gaNames.has(m), `GlideAggregate.${m}`);
    assert.strictEqual(ga.methods[0].name, 'addAggregate');
    const current = api('current');
    assert.strictEqual(current.kind, 'global');
    assert.strictEqual(current.type, 'GlideRecord');
    assert.ok(methodNames(current).has('setAbortAction'));
    const gUser = api('g_user');
    assert.ok(methodNames(gUser).has('hasRoleExactly'));
    assert.deepStrictEqual(gUser.properties?.map((p) => p.name).sort(), ['firstName', 'lastName', 'userID', 'userName']);
    // Statics stay on the class: g_list.get() is not a thing, GlideList2.get() is.
    assert.ok(!methodNames(api('g_list')).has('get'));
    assert.ok(findPlatformMethods(api('GlideList2'), 'get')[0].isStatic);
  });

  it('formats signatures with optional, rest and static parameters', () => {
    const gr = api('GlideRecord', 'server');
    const addQuery = findPlatformMethods(gr, 'addQuery')[0];
    assert.strictEqual(signatureOf(gr, addQuery), 'addQuery(name: string, operator?: string, value?: any): GlideQueryCondition');
    const gs = api('gs');
    assert.strictEqual(signatureOf(gs, findPlatformMethods(gs, 'info')[0]), 'info(message: string, ...params: any): void');
    const gdt = api('GlideDateTime');
    const subtracts = findPlatformMethods(gdt, 'subtract');
    assert.strictEqual(subtracts.length, 2, 'instance and static overloads');
    const sub = subtracts.find((m) => m.isStatic);
    assert.ok(sub);
    assert.strictEqual(signatureOf(gdt, sub), 'GlideDateTime.subtract(start: GlideDateTime, end: GlideDateTime): GlideDuration');
  });

  it('gives parameter offsets that point at each parameter in the label', () => {
    const gForm = api('g_form');
    const { label, parameters } = signatureLabelOf(gForm, findPlatformMethods(gForm, 'setValue')[0]);
    assert.deepStrictEqual(
      parameters.map(([s, e]) => label.slice(s, e)),
      ['fieldName: string', 'value: string', 'displayValue?: string'],
    );
    const ctor = constructorSignatureOf(api('GlideAjax'));
    assert.ok(ctor);
    assert.strictEqual(ctor.label, 'new GlideAjax(className: string)');
    assert.strictEqual(ctor.label.slice(...ctor.parameters[0]), 'className: string');
  });

  it('marks what is constructed with new and what only comes from other APIs', () => {
    assert.deepStrictEqual(api('GlideRecord').constructorParams?.map((p) => p.name), ['tableName']);
    assert.deepStrictEqual(api('GlideDate').constructorParams, []);
    assert.strictEqual(api('GlideElement').constructorParams, undefined);
    assert.strictEqual(api('sn_ws.RESTResponseV2').constructorParams, undefined);
    assert.strictEqual(constructorSignatureOf(api('gs')), undefined);
  });

  it('finds APIs by name, scoped name, unqualified name and instance type', () => {
    assert.strictEqual(api('global.ArrayUtil').name, 'ArrayUtil');
    assert.strictEqual(api('ArrayUtil').scopedName, 'global.ArrayUtil');
    assert.strictEqual(api('global.AbstractAjaxProcessor').name, 'AbstractAjaxProcessor');
    assert.strictEqual(api('RESTMessageV2').name, 'sn_ws.RESTMessageV2');
    assert.strictEqual(api('FlowAPI').name, 'sn_fd.FlowAPI');
    assert.strictEqual(api('GlideSystem').name, 'gs');
    assert.strictEqual(api('GlideForm', 'client').name, 'g_form');
    assert.strictEqual(api('RESTAPIRequest').name, 'request');
    // A class by its own name wins over a global of that type.
    assert.strictEqual(api('GlideRecord', 'server').kind, 'class');
    assert.strictEqual(api('GlideUser', 'client').kind, 'class');
    // Without a side the server is searched first.
    assert.strictEqual(api('GlideRecord').side, 'server');
    assert.strictEqual(findPlatformApi('NoSuchGlideThing'), undefined);
    assert.strictEqual(findPlatformApi('glideRecord'), undefined, 'names are case-sensitive, as in JavaScript');
  });

  it('lists the names code uses, per side', () => {
    const server = platformApiNames('server');
    const client = platformApiNames('client');
    for (const n of ['GlideRecord', 'gs', 'current', 'sn_ws.RESTMessageV2', 'ArrayUtil', 'global.ArrayUtil']) assert.ok(server.includes(n), `server names hold ${n}`);
    for (const n of ['GlideAjax', 'g_form', 'g_user', 'GlideRecord']) assert.ok(client.includes(n), `client names hold ${n}`);
    assert.ok(!server.includes('GlideAjax'));
    assert.ok(!client.includes('gs'));
    assert.deepStrictEqual([...server], [...server].sort());
    const both = platformApiNames();
    assert.ok(both.includes('GlideAjax') && both.includes('gs'));
    assert.strictEqual(new Set(both).size, both.length);
  });

  it('covers the common surfaces of gs, g_form, GlideAjax, GlideElement and GlideQuery', () => {
    const expectations: [string, 'server' | 'client', string[]][] = [
      ['gs', 'server', ['getUserID', 'getUserName', 'getUser', 'hasRole', 'log', 'info', 'warn', 'error', 'debug', 'addInfoMessage', 'addErrorMessage', 'getProperty', 'setProperty', 'nowDateTime', 'daysAgo', 'beginningOfToday', 'eventQueue', 'getMessage', 'generateGUID', 'include', 'isInteractive', 'getSession', 'tableExists', 'print', 'sleep']],
      ['g_form', 'client', ['getValue', 'setValue', 'getReference', 'setMandatory', 'setReadOnly', 'setDisplay', 'setVisible', 'showFieldMsg', 'hideFieldMsg', 'addInfoMessage', 'addErrorMessage', 'clearMessages', 'addOption', 'removeOption', 'clearOptions', 'getTableName', 'getUniqueValue', 'isNewRecord', 'submit', 'save', 'flash', 'getLabelOf', 'setLabelOf', 'getControl', 'isMandatory', 'getSections', 'setSectionDisplay']],
      ['GlideAjax', 'client', ['addParam', 'getXML', 'getXMLAnswer', 'getXMLWait', 'getAnswer']],
      ['GlideElement', 'server', ['getValue', 'setValue', 'getDisplayValue', 'getRefRecord', 'changes', 'changesTo', 'changesFrom', 'nil', 'toString', 'getED', 'getLabel']],
      ['GlideQuery', 'server', ['select', 'selectOne', 'where', 'whereNotNull', 'orderBy', 'limit', 'insert', 'update', 'deleteMultiple', 'count', 'avg']],
      ['Stream', 'server', ['toArray', 'forEach', 'map', 'filter']],
      ['GlideUser', 'server', ['getID', 'getName', 'getDisplayName', 'getEmail', 'hasRole', 'isMemberOf', 'getPreference', 'savePreference', 'getCompanyID']],
      ['AbstractAjaxProcessor', 'server', ['getParameter', 'newItem', 'getName']],
      ['sn_fd.FlowAPI', 'server', ['startFlow', 'executeSubflow', 'startAction']],
    ];
    for (const [name, side, methods] of expectations) {
      const names = methodNames(api(name, side));
      for (const m of methods) assert.ok(names.has(m), `${name}.${m}`);
    }
  });

  it('parses the signature notation and reports what it cannot read', () => {
    const ok = parseSignature('static pick(a: string, b?: (x: any, y: any) => boolean, ...rest: number): Foo');
    assert.ok(typeof ok !== 'string');
    assert.strictEqual(ok.name, 'pick');
    assert.ok(ok.isStatic);
    assert.deepStrictEqual(ok.params.map((p) => [p.name, p.type, !!p.optional, !!p.rest]), [
      ['a', 'string', false, false],
      ['b', '(x: any, y: any) => boolean', true, false],
      ['rest', 'number', false, true],
    ]);
    assert.strictEqual(ok.returns, 'Foo');
    for (const bad of ['noParens: string', 'x(a string): void', '9x(): void', 'x(): ', 'x(a: string']) {
      assert.strictEqual(typeof parseSignature(bad), 'string', `rejects ${bad}`);
    }
  });
});
