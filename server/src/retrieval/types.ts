/**
 * The contracts of the retrieval stage: what the cursor context holds (built by
 * syntax/cursor-context.ts from the tree), and what a ranking returns. Plain data.
 */
import { Side } from '../model';

/** Where the cursor is, as far as API prediction cares. */
export type PositionKind =
  /** after `new ` (a class: Script Include or platform class) */
  | 'new'
  /** after `new scope.` (a class of that scope) */
  | 'new-scoped'
  /** after `x.` where x is, or may be, a Script Include instance or class, or a platform object */
  | 'member'
  /** inside the string of `new GlideAjax('` (a client-callable Script Include) */
  | 'glide-ajax'
  /** inside `addParam('sysparm_name', '` (a method of the GlideAjax's Script Include) */
  | 'sysparm-name'
  /** at a bare statement or expression (any API: classless functions, static calls, classes) */
  | 'bare'
  /** inside the string of `new GlideRecord('` (and GlideAggregate, GlideRecordSecure, GlideQuery): a table name */
  | 'table'
  /** inside a string that names a field: `gr.addQuery('`, `g_form.getValue('`, a term of `addEncodedQuery('` */
  | 'field'
  /** inside `gs.getProperty('`: a system property's name */
  | 'property'
  /** inside a comment or an unrelated string: nothing to suggest */
  | 'none';

/** Positions that name data (a table, a field, a property), not an API: the schema answers them, not ranking. */
export function isSchemaPosition(kind: PositionKind): kind is 'table' | 'field' | 'property' {
  return kind === 'table' || kind === 'field' || kind === 'property';
}

export interface FileFacts {
  /** The record type of the script (`sys_script`, `sys_script_client`, `sys_script_include`, ...). */
  recordType: string;
  side: Side;
  scope: string;
  /** The table the record runs on, when known (business rule collection, client script table). */
  collection?: string;
  /**
   * The name of the record the script belongs to (a business rule's name, a Script Include's
   * class name, the file's stem in plain and sn-scriptsync layouts): what the author says the
   * script is for, part of the query.
   */
  recordName?: string;
}

export interface CursorContext extends FileFacts {
  kind: PositionKind;
  /** The part of the name already typed at the cursor (the completion prefix), '' when none. */
  typed: string;
  /** Offsets (in the analysed text) of what a completion replaces: the typed part. */
  replaceStart: number;
  replaceEnd: number;
  /** `new x_acme.` -> 'x_acme'; in a GlideAjax string `'x_acme.` -> 'x_acme'. */
  qualifier?: string;
  /** For 'member': the receiver as written, and what it is known to hold. */
  receiver?: {
    text: string;
    /** A Script Include the receiver holds (`var u = new HRUtils()`), or names (`HRUtils.`), as written. */
    scriptInclude?: string;
    qualifier?: string;
    /** The receiver is the class itself (static call) rather than an instance. */
    isClass?: boolean;
    /** A platform type or global (`GlideRecord`, `gs`, `g_form`). */
    platform?: string;
    /** The table of a GlideRecord receiver (`new GlideRecord('incident')`; `current` in a business rule on incident). */
    table?: string;
  };
  /** For 'field': the table whose fields are named there, when known. */
  table?: string;
  /** For 'sysparm-name': the Script Include named in the GlideAjax constructor. */
  ajaxTarget?: { name: string; qualifier?: string };
  /** The function around the cursor: its name, parameters and the comment above it. */
  enclosingFunction?: { name?: string; params: string[]; comment?: string };
  /** Identifiers visible before the cursor (declarations and uses), nearest first, without duplicates. */
  identifiers: string[];
  /**
   * Names at the head of a call before the cursor (`X(`, `new X`, `X.m(`: X), nearest first, once
   * each; a function's own declared name is not a call.
   */
  callsBefore: string[];
  /** Names at the head of a call in the suffix, in order, once each. */
  callsAfter: string[];
  /** String literal contents before the cursor (table and field names), nearest first. */
  strings: string[];
  /** Comments before the cursor, nearest first. */
  comments: string[];
  /** Platform APIs already used in the script (`GlideRecord`, `GlideRecord.addQuery`, `gs.getUserID`, `g_form.setValue`). */
  glideApis: string[];
  /** Tables named in `new GlideRecord('x')` and friends before the cursor, nearest first. */
  tables: string[];
  /** Lines before the cursor, nearest first (index 0 is the cursor's own line up to the cursor). */
  linesBefore: string[];
  /** Text after the cursor (up to a few lines), for context only. */
  suffix: string;
}

/** One ranked answer of the pipeline. */
export interface RankedCandidate {
  /** `x_acme.HRUtils` for a Script Include, `platform:GlideRecord` for a platform API. */
  key: string;
  kind: 'script-include' | 'platform';
  /** Script Include or platform API name. */
  name: string;
  apiName: string;
  /** The most likely method, when one is predicted. */
  method?: string;
  /** Other methods in order of likelihood. */
  methods?: string[];
  score: number;
  /** Each stage's score and rank, for the explain view. */
  stages: Record<string, { score: number; rank: number }>;
}

export interface StageTiming {
  stage: string;
  ms: number;
}

export interface RankResult {
  candidates: RankedCandidate[];
  timings: StageTiming[];
  /** Human-readable notes: pruning counts, deadline hits, which reranker ran. */
  trace: string[];
  /** True when the request was cancelled or went stale before finishing. */
  cancelled?: boolean;
}
