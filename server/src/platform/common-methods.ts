/**
 * The platform methods people call most, per API, most common first: the prior that orders a
 * Glide object's members before the workspace has said anything (`gs.` offers `info` and
 * `getProperty` before thirty `beginningOf...`), and that the workspace's own use then refines.
 * Facts about the platform's everyday API, not fitted to any code base.
 */
export const COMMON_METHODS: Readonly<Record<string, readonly string[]>> = {
  gs: ['info', 'getProperty', 'getUserID', 'addInfoMessage', 'addErrorMessage', 'eventQueue', 'getUser', 'nowDateTime', 'error', 'warn', 'log', 'debug', 'hasRole', 'getMessage', 'getUserName', 'print', 'nil', 'tableExists', 'daysAgo', 'now'],
  GlideRecord: ['addQuery', 'query', 'next', 'get', 'getValue', 'setValue', 'insert', 'update', 'addEncodedQuery', 'getUniqueValue', 'getDisplayValue', 'orderBy', 'orderByDesc', 'setLimit', 'getRowCount', 'hasNext', 'initialize', 'deleteRecord', 'addActiveQuery', 'addNullQuery', 'addNotNullQuery', 'isValidRecord', 'canRead', 'canWrite', 'newRecord', 'getTableName', 'setWorkflow', 'autoSysFields', 'deleteMultiple', 'updateMultiple'],
  GlideRecordSecure: ['addQuery', 'query', 'next', 'get', 'getValue', 'setValue', 'insert', 'update', 'addEncodedQuery', 'getUniqueValue', 'getDisplayValue', 'orderBy', 'setLimit', 'getRowCount', 'hasNext'],
  GlideAggregate: ['addAggregate', 'addQuery', 'query', 'next', 'getAggregate', 'groupBy', 'addEncodedQuery', 'getValue', 'orderByAggregate', 'setGroup', 'addHaving', 'getTotal'],
  GlideDateTime: ['getValue', 'getDisplayValue', 'addDaysLocalTime', 'addSeconds', 'getNumericValue', 'before', 'after', 'compareTo', 'getDate', 'setValue', 'addDaysUTC', 'addMonthsLocalTime', 'getLocalDate', 'setDisplayValue', 'subtract'],
  GlideAjax: ['addParam', 'getXMLAnswer', 'getXML', 'getXMLWait', 'getAnswer'],
  g_form: ['getValue', 'setValue', 'setDisplay', 'setMandatory', 'setReadOnly', 'addInfoMessage', 'showFieldMsg', 'clearValue', 'getReference', 'addOption', 'clearOptions', 'hideFieldMsg', 'setVisible', 'addErrorMessage', 'getDisplayBox', 'isNewRecord', 'clearMessages', 'removeOption', 'getUniqueValue', 'save', 'submit'],
  g_user: ['hasRole', 'userID', 'getFullName', 'hasRoleExactly', 'userName', 'hasRoleFromList'],
};

/** A method's place in its API's common list (0 first), or undefined when it is not there. */
export function commonRank(api: string, method: string): number | undefined {
  const i = COMMON_METHODS[api]?.indexOf(method);
  return i === undefined || i < 0 ? undefined : i;
}

/**
 * The platform classes code constructs most, per side, most common first: the prior that orders
 * `new Gl` (GlideRecord and GlideDateTime before GlideEmailOutbound) until the workspace's own use
 * says otherwise.
 */
export const COMMON_CLASSES: Readonly<Record<'server' | 'client', readonly string[]>> = {
  server: ['GlideRecord', 'GlideDateTime', 'GlideAggregate', 'GlideRecordSecure', 'GlideSysAttachment', 'GlideDuration', 'GlideDate', 'GlideQuery', 'sn_ws.RESTMessageV2', 'GlideSchedule'],
  client: ['GlideAjax', 'GlideRecord', 'GlideModal', 'GlideDialogWindow', 'GlideURL'],
};

/** A class's prior in [0, 1]: 1 for the most common, 0 for one not in the list. */
export function commonClassPrior(side: 'server' | 'client', name: string): number {
  const list = COMMON_CLASSES[side];
  const i = list.indexOf(name);
  return i < 0 ? 0 : 1 - i / list.length;
}
