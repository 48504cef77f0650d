/**
 * Names the platform owns, in one place beside the catalog: JavaScript and host globals, Glide
 * globals and classes, platform namespaces, the classes that take a table name. The syntax layer
 * reads them to tell a platform call from a Script Include call; the catalog's own globals and
 * namespaces are part of the sets, so the two never disagree.
 */
import { platformApis } from './platform-apis';

/** JavaScript's own globals and the host's: never Script Includes. */
const JS_BUILTINS = new Set([
  'JSON', 'Math', 'Object', 'Array', 'String', 'Number', 'Boolean', 'Date', 'RegExp', 'Function', 'Symbol',
  'Error', 'TypeError', 'RangeError', 'SyntaxError', 'ReferenceError', 'EvalError', 'URIError',
  'Promise', 'Map', 'Set', 'WeakMap', 'WeakSet', 'Proxy', 'Reflect', 'Intl', 'BigInt', 'ArrayBuffer',
  'DataView', 'Uint8Array', 'Int8Array', 'Uint16Array', 'Int16Array', 'Uint32Array', 'Int32Array',
  'Float32Array', 'Float64Array', 'Class', 'Packages', 'java', 'JavaImporter', 'console', 'globalThis',
  'parseInt', 'parseFloat', 'isNaN', 'isFinite', 'encodeURIComponent', 'decodeURIComponent', 'encodeURI',
  'decodeURI', 'escape', 'unescape', 'eval', 'require', 'setTimeout', 'setInterval', 'clearTimeout',
  'clearInterval', 'alert', 'confirm', 'prompt', 'window', 'document', 'jQuery', '$', '$j', 'angular',
  'arguments', 'undefined', 'NaN', 'Infinity',
]);

/**
 * Platform globals: objects whose member calls are Glide APIs (`gs.getUserID`). The catalog's
 * globals are added to these (the ones here are those code meets that the catalog does not
 * describe: script-specific variables like `workflow` or `producer`).
 */
const GLIDE_GLOBALS = new Set([
  'gs', 'g_form', 'g_user', 'g_list', 'g_scratchpad', 'GlideSystem', 'current', 'previous', 'sn_ws', 'sn_fd',
  'g_navigation', 'g_i18n', 'g_modal', 'g_service_catalog', 'g_menu', 'g_item', 'g_processor',
  'workflow', 'action', 'email', 'template', 'producer', 'event',
]);

/** Platform functions called bare (client and server) that are not Script Includes. */
const PLATFORM_FUNCTIONS = new Set([
  'getMessage', 'getMessages', 'gel', 'jslog', 'addLoadEvent', 'gsftSubmit', 'GlideQuery', 'GlideRecord',
]);

/** Namespaces of platform APIs (`new sn_ws.RESTMessageV2()`), as opposed to application scopes; the catalog's are added. */
const PLATFORM_NAMESPACES = new Set([
  'sn_ws', 'sn_fd', 'sn_sc', 'sn_cmdb', 'sn_auth', 'sn_impex', 'sn_ih', 'sn_notification', 'sn_clotho',
  'sn_connect', 'sn_discovery', 'sn_uc', 'sn_instance_scan', 'sn_dt_api', 'sn_cs', 'sn_nlp_sentiment',
]);

/** Glide classes whose first constructor argument is a table name. */
const TABLE_CLASSES = new Set(['GlideRecord', 'GlideRecordSecure', 'GlideAggregate', 'GlideQuery', 'GlideMultipleUpdate', 'GlideMultipleDelete']);

/** `global`, `x_acme_hr`, `sn_hr_core`: how an application scope prefix looks. */
const SCOPE_NAME = /^(?:global|[a-z][a-z0-9]*_[a-z0-9_]+)$/;

for (const api of platformApis()) {
  if (api.kind === 'global') GLIDE_GLOBALS.add(api.name);
  const dot = api.name.indexOf('.');
  if (dot > 0) PLATFORM_NAMESPACES.add(api.name.slice(0, dot));
}

/** A platform global (`gs`, `g_form`, `current`) whose member calls are Glide APIs. */
export function isGlideGlobal(name: string): boolean {
  return GLIDE_GLOBALS.has(name);
}

/** Looks like an application scope prefix (`global`, `x_acme_hr`). */
export function isScopeName(name: string): boolean {
  return SCOPE_NAME.test(name);
}

/** A Glide class whose first constructor argument is a table name. */
export function isTableClass(name: string): boolean {
  return TABLE_CLASSES.has(name);
}

export function isPlatformClass(name: string, qualifier?: string): boolean {
  if (qualifier !== undefined) return PLATFORM_NAMESPACES.has(qualifier);
  return name.startsWith('Glide') || name === 'XMLDocument' || name === 'XMLDocument2';
}

/** A namespace of platform APIs (`sn_ws`), as opposed to an application scope. */
export function isPlatformNamespace(name: string): boolean {
  return PLATFORM_NAMESPACES.has(name);
}

/** JavaScript's and the host's own globals (`JSON`, `Math`, `window`). */
export function isJsBuiltin(name: string): boolean {
  return JS_BUILTINS.has(name);
}

/** Platform functions called bare (`getMessage`, `gel`). */
export function isPlatformFunction(name: string): boolean {
  return PLATFORM_FUNCTIONS.has(name);
}

/** True for names no Script Include can have in practice: JS builtins, Glide classes and globals. */
export function isExcludedName(name: string): boolean {
  return JS_BUILTINS.has(name) || GLIDE_GLOBALS.has(name) || PLATFORM_FUNCTIONS.has(name) || isPlatformClass(name);
}
