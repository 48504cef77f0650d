/** Builders for index entries in tests that exercise the index without parsing. */
import { CallSite, FileEntry, MethodInfo, ScriptIncludeInfo } from '../../server/src/model';

const R0 = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

export function method(name: string, extra: Partial<MethodInfo> = {}): MethodInfo {
  return { name, params: [], isPrivate: name.startsWith('_'), isStatic: false, range: R0, nameRange: R0, tables: [], glideApis: [], calls: [], ...extra };
}

export function scriptInclude(name: string, extra: Partial<ScriptIncludeInfo> = {}): ScriptIncludeInfo {
  const scope = extra.scope ?? 'global';
  return {
    name,
    apiName: `${scope}.${name}`,
    scope,
    access: 'public',
    clientCallable: false,
    active: true,
    kind: 'class-create',
    methods: [],
    tables: [],
    glideApis: [],
    calls: [],
    path: `${name}.js`,
    layout: 'plain',
    range: { start: { line: 0, character: 0 }, end: { line: 20, character: 0 } },
    nameRange: R0,
    ...extra,
  };
}

export function callSite(target: string, extra: Partial<CallSite> = {}): CallSite {
  return {
    target,
    form: 'new',
    path: 'caller.js',
    range: R0,
    scriptOffset: 0,
    targetOffset: 4,
    callerTable: 'sys_script',
    callerName: 'caller',
    side: 'server',
    scope: 'global',
    snippet: `new ${target}()`,
    ...extra,
  };
}

export function fileEntry(path: string, extra: Partial<FileEntry> = {}): FileEntry {
  const scriptIncludes = (extra.scriptIncludes ?? []).map((si) => ({ ...si, path: si.path === `${si.name}.js` ? path : si.path }));
  return { path, hash: `h-${path}`, layout: 'plain', callSites: [], callers: [], problems: [], includes: [], ...extra, scriptIncludes };
}
