/**
 * The knowledge graph of DESIGN.md: package -> scope -> Script Include -> method, with `extends`
 * and `calls` edges between Script Includes and the access rules that prune retrieval:
 * - an inactive Script Include is never suggested;
 * - another scope reaches a Script Include only when it is public;
 * - client code reaches one only through GlideAjax, so only when it is client-callable.
 *
 * It is derived from the ApiIndex and rebuilt when the index generation moves (a linear pass,
 * a few milliseconds at 10,000 Script Includes), so it never disagrees with the index.
 */
import { MethodInfo, ScriptIncludeInfo, Side } from '../model';
import { ApiIndex } from './api-index';

export interface ScopeNode {
  name: string;
  packageName: string;
  scriptIncludes: ScriptIncludeInfo[];
}

export interface PackageNode {
  name: string;
  scopes: Map<string, ScopeNode>;
}

export interface InheritedMethod {
  method: MethodInfo;
  /** The Script Include that defines it (the receiver itself or an ancestor). */
  owner: ScriptIncludeInfo;
}

export interface PruneResult {
  kept: ScriptIncludeInfo[];
  total: number;
  inactive: number;
  inaccessible: number;
}

export class KnowledgeGraph {
  readonly packages = new Map<string, PackageNode>();
  private readonly parents = new Map<ScriptIncludeInfo, ScriptIncludeInfo>();
  private readonly children = new Map<ScriptIncludeInfo, ScriptIncludeInfo[]>();
  private readonly callees = new Map<ScriptIncludeInfo, Set<ScriptIncludeInfo>>();
  private readonly callers = new Map<ScriptIncludeInfo, Set<ScriptIncludeInfo>>();
  readonly all: ScriptIncludeInfo[] = [];

  /** `generation`: the index's `scriptIncludeGeneration` the graph was built at. */
  private constructor(readonly generation: number) {}

  static build(index: ApiIndex): KnowledgeGraph {
    const g = new KnowledgeGraph(index.scriptIncludeGeneration);
    for (const si of index.scriptIncludes()) {
      g.all.push(si);
      const pkgName = si.package || si.scope;
      let pkg = g.packages.get(pkgName);
      if (!pkg) g.packages.set(pkgName, (pkg = { name: pkgName, scopes: new Map() }));
      let scope = pkg.scopes.get(si.scope);
      if (!scope) pkg.scopes.set(si.scope, (scope = { name: si.scope, packageName: pkgName, scriptIncludes: [] }));
      scope.scriptIncludes.push(si);
    }
    for (const si of g.all) {
      if (si.parent) {
        const { target, qualifier } = splitQualified(si.parent);
        const parent = index.resolve(target, qualifier, si.scope);
        if (parent && parent !== si) {
          g.parents.set(si, parent);
          const list = g.children.get(parent) ?? [];
          list.push(si);
          g.children.set(parent, list);
        }
      }
      for (const name of si.calls) {
        const { target, qualifier } = splitQualified(name);
        const callee = index.resolve(target, qualifier, si.scope);
        if (!callee || callee === si) continue;
        setAdd(g.callees, si, callee);
        setAdd(g.callers, callee, si);
      }
    }
    return g;
  }

  parentOf(si: ScriptIncludeInfo): ScriptIncludeInfo | undefined {
    return this.parents.get(si);
  }

  /** The extends chain above `si`, nearest first; stops on cycles. */
  ancestorsOf(si: ScriptIncludeInfo): ScriptIncludeInfo[] {
    const out: ScriptIncludeInfo[] = [];
    const seen = new Set<ScriptIncludeInfo>([si]);
    for (let p = this.parents.get(si); p && !seen.has(p); p = this.parents.get(p)) {
      seen.add(p);
      out.push(p);
    }
    return out;
  }

  childrenOf(si: ScriptIncludeInfo): ScriptIncludeInfo[] {
    return this.children.get(si) ?? [];
  }

  calleesOf(si: ScriptIncludeInfo): ScriptIncludeInfo[] {
    return [...(this.callees.get(si) ?? [])];
  }

  callersOf(si: ScriptIncludeInfo): ScriptIncludeInfo[] {
    return [...(this.callers.get(si) ?? [])];
  }

  /** Own methods first, then inherited ones not overridden, nearest ancestor first. */
  methodsOf(si: ScriptIncludeInfo): InheritedMethod[] {
    const seen = new Set<string>();
    const out: InheritedMethod[] = [];
    for (const owner of [si, ...this.ancestorsOf(si)]) {
      for (const method of owner.methods) {
        if (seen.has(method.name)) continue;
        seen.add(method.name);
        out.push({ method, owner });
      }
    }
    return out;
  }

  findMethod(si: ScriptIncludeInfo, name: string): InheritedMethod | undefined {
    return this.methodsOf(si).find((m) => m.method.name === name);
  }

  /** The Script Includes that `side` code in `fromScope` may be offered. */
  prune(fromScope: string, side: Side): PruneResult {
    const kept: ScriptIncludeInfo[] = [];
    let inactive = 0;
    let inaccessible = 0;
    for (const si of this.all) {
      if (!si.active) inactive++;
      else if (!ApiIndex.accessible(si, fromScope, side)) inaccessible++;
      else kept.push(si);
    }
    return { kept, total: this.all.length, inactive, inaccessible };
  }

  /** How many scopes and packages, for reports. */
  summary(): { packages: number; scopes: number; scriptIncludes: number; extendsEdges: number; callEdges: number } {
    let scopes = 0;
    for (const p of this.packages.values()) scopes += p.scopes.size;
    let callEdges = 0;
    for (const s of this.callees.values()) callEdges += s.size;
    return { packages: this.packages.size, scopes, scriptIncludes: this.all.length, extendsEdges: this.parents.size, callEdges };
  }
}

/** `x_acme.Base` -> { qualifier: 'x_acme', target: 'Base' }; `Base` -> { target: 'Base' }. */
export function splitQualified(name: string): { target: string; qualifier?: string } {
  const dot = name.lastIndexOf('.');
  if (dot < 0) return { target: name };
  return { target: name.slice(dot + 1), qualifier: name.slice(0, dot) };
}

function setAdd<K, V>(map: Map<K, Set<V>>, key: K, value: V): void {
  let set = map.get(key);
  if (!set) map.set(key, (set = new Set()));
  set.add(value);
}

/** Caches one graph per index generation. */
export class KnowledgeGraphCache {
  private graph?: KnowledgeGraph;
  constructor(private readonly index: ApiIndex) {}
  get(): KnowledgeGraph {
    if (!this.graph || this.graph.generation !== this.index.scriptIncludeGeneration) this.graph = KnowledgeGraph.build(this.index);
    return this.graph;
  }
}
