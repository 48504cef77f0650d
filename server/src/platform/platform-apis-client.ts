/**
 * Client-side platform APIs: what scripts running in the browser (client scripts, UI policies'
 * scripts, client UI actions, catalog client scripts, Service Portal client controllers) can
 * call. Signatures follow the public developer documentation; descriptions are our own
 * summaries. The notation is described in `platform-apis.ts`.
 */
import type { ApiSpec } from './platform-apis';

const GLIDE_FORM: ApiSpec = {
  name: 'g_form',
  kind: 'global',
  type: 'GlideForm',
  description: 'The GlideForm object: reads and changes the fields, sections, messages and state of the form on screen.',
  methods: [
    ['addDecoration(fieldName: string, icon: string, title: string, color?: string): void', 'Shows an icon next to the field label.'],
    ['addErrorMessage(message: string): void', 'Shows an error message at the top of the form.'],
    ['addInfoMessage(message: string): void', 'Shows an information message at the top of the form.'],
    ['addOption(fieldName: string, choiceValue: string, choiceLabel: string, choiceIndex?: number): void', 'Adds a choice to a choice list, optionally at a position.'],
    ['clearMessages(): void', 'Removes the messages shown at the top of the form.'],
    ['clearOptions(fieldName: string): void', 'Removes every choice of a choice list.'],
    ['clearValue(fieldName: string): void', 'Empties a field.'],
    ['disableAttachments(): void', 'Stops the user from adding or removing attachments.'],
    ['enableAttachments(): void', 'Lets the user add and remove attachments again.'],
    ['flash(fieldName: string, color: string, count: number): void', 'Makes a field label flash in a colour to draw attention.'],
    ['getActionName(): string', 'The action name of the UI action that submitted the form.'],
    ['getBooleanValue(fieldName: string): boolean', 'A field read as a boolean.'],
    ['getControl(fieldName: string): HTMLElement', 'The HTML element of the field (not available in Service Portal).'],
    ['getDecimalValue(fieldName: string): string', 'A decimal field as a string with a dot separator, whatever the user locale.'],
    ['getDisplayValue(fieldName?: string): string', 'The display value of a field, or of the record.'],
    ['getEditableFields(): string[]', 'The names of the fields the user can edit.'],
    ['getElement(id: string): HTMLElement', 'An HTML element of the form by id.'],
    ['getFormElement(): HTMLFormElement', 'The HTML form element.'],
    ['getHelpTextControl(fieldName: string): HTMLElement', "The element of the field's help text."],
    ['getIntValue(fieldName: string): number', 'A field read as an integer.'],
    ['getLabelOf(fieldName: string): string', 'The label of a field.'],
    ['getOption(fieldName: string, choiceValue: string): HTMLElement', 'The option element of a choice.'],
    ['getReference(fieldName: string, callback?: function): GlideRecord', 'The record a reference field points to; pass a callback so the browser does not block.', "g_form.getReference('caller_id', function (caller) { g_form.setValue('location', caller.location); });"],
    ['getRelatedListNames(): string[]', 'The names of the related lists on the form.'],
    ['getSectionNames(): string[]', 'The names of the form sections.'],
    ['getSections(): HTMLElement[]', 'The elements of the form sections.'],
    ['getTableName(): string', 'The table of the record on the form.'],
    ['getUniqueValue(): string', 'The sys_id of the record on the form.'],
    ['getValue(fieldName: string): string', 'The value of a field (the sys_id for references).', "var state = g_form.getValue('state');"],
    ['hasField(fieldName: string): boolean', 'Whether the form has the field.'],
    ['hideAllFieldMsgs(type?: string): void', "Removes every field message, or those of one type ('info', 'error')."],
    ['hideErrorBox(fieldName: string): void', 'Removes the error message under a field.'],
    ['hideFieldMsg(fieldName: string, clearAll?: boolean): void', 'Removes the message under a field.'],
    ['hideRelatedList(listTableName: string): void', 'Hides a related list.'],
    ['hideRelatedLists(): void', 'Hides every related list.'],
    ['isLiveUpdating(): boolean', 'Whether the form is being updated by another user in real time.'],
    ['isMandatory(fieldName: string): boolean', 'Whether a field is mandatory.'],
    ['isNewRecord(): boolean', 'Whether the form shows a record that is not yet saved.'],
    ['isSectionVisible(sectionName: string): boolean', 'Whether a section is shown.'],
    ['onUserChangeValue(fn: function): function', 'Calls the function whenever the user changes a field; returns a function that unregisters it.'],
    ['refreshSlushbucket(fieldName: string): void', 'Redraws a slushbucket field.'],
    ['removeDecoration(fieldName: string, icon: string, title: string, color?: string): void', 'Removes an icon added with addDecoration().'],
    ['removeOption(fieldName: string, choiceValue: string): void', 'Removes a choice from a choice list.'],
    ['save(): void', 'Saves the record and stays on the form.'],
    ['setDisabled(fieldName: string, disable: boolean): void', 'Makes a field read-only or editable.'],
    ['setDisplay(fieldName: string, display: boolean): void', 'Shows or hides a field; hidden fields free their space.'],
    ['setLabelOf(fieldName: string, label: string): void', 'Changes the label of a field.'],
    ['setMandatory(fieldName: string, mandatory: boolean): void', 'Makes a field mandatory or optional.', "g_form.setMandatory('close_notes', true);"],
    ['setReadOnly(fieldName: string, readOnly: boolean): void', 'Makes a field read-only or editable.'],
    ['setSectionDisplay(sectionName: string, display: boolean): boolean', 'Shows or hides a form section.'],
    ['setValue(fieldName: string, value: string, displayValue?: string): void', 'Sets a field; give the display value for references to avoid a server round trip.', "g_form.setValue('assigned_to', userId, userName);"],
    ['setVisible(fieldName: string, display: boolean): void', 'Shows or hides a field; hidden fields keep their space.'],
    ['showErrorBox(fieldName: string, message: string, scrollForm?: boolean): void', 'Shows an error message under a field.'],
    ['showFieldMsg(fieldName: string, message: string, type: string, scrollForm?: boolean): void', "Shows a message under a field; type is 'info', 'error' or 'warning'."],
    ['showRelatedList(listTableName: string): void', 'Shows a related list.'],
    ['showRelatedLists(): void', 'Shows every related list.'],
    ['submit(verb?: string): void', 'Submits the form, optionally as a UI action.'],
  ],
};

const GLIDE_USER: ApiSpec = {
  name: 'GlideUser',
  kind: 'class',
  description: 'The logged-in user as the browser sees them (g_user): names, roles and client data.',
  properties: [
    ['firstName: string', 'The first name.'],
    ['lastName: string', 'The last name.'],
    ['userID: string', 'The sys_id of the user.'],
    ['userName: string', 'The user name (user_name).'],
  ],
  methods: [
    ['getClientData(key: string): string', 'A value the server stored with GlideSession.putClientData().'],
    ['getFullName(): string', 'The first and last name.'],
    ['hasRole(role: string, includeDefaults?: boolean): boolean', 'Whether the user has the role (admin has every role).', "if (g_user.hasRole('itil')) { /* ... */ }"],
    ['hasRoleExactly(role: string, includeDefaults?: boolean): boolean', 'Whether the user has the role itself, not through admin.'],
    ['hasRoleFromList(roles: string, includeDefaults?: boolean): boolean', 'Whether the user has any role of a comma-separated list.'],
    ['hasRoles(includeDefaults?: boolean): boolean', 'Whether the user has any role at all.'],
  ],
};

const G_USER: ApiSpec = {
  name: 'g_user',
  kind: 'global',
  type: 'GlideUser',
  description: 'The logged-in user, in client scripts.',
  methods: [],
};

const GLIDE_AJAX: ApiSpec = {
  name: 'GlideAjax',
  kind: 'class',
  ctor: '(className: string)',
  description: 'Calls a method of a client-callable Script Include on the server and hands the answer back to the browser.',
  methods: [
    ['addParam(name: string, value: string): void', "Adds a request parameter; 'sysparm_name' names the method to call.", "ga.addParam('sysparm_name', 'getManager');"],
    ['getAnswer(): string', 'The answer of a call made with getXMLWait().'],
    ['getXML(callback: function): void', 'Sends the request; the callback receives the whole XML response.'],
    ['getXMLAnswer(callback: function): void', 'Sends the request; the callback receives only the answer string.', "var ga = new GlideAjax('MyAjaxUtils');\nga.addParam('sysparm_name', 'getManager');\nga.getXMLAnswer(function (answer) { g_form.setValue('manager', answer); });"],
    ['getXMLWait(): void', 'Sends the request and blocks the browser until it returns (avoid; not in Service Portal).'],
  ],
};

const GLIDE_RECORD: ApiSpec = {
  name: 'GlideRecord',
  kind: 'class',
  ctor: '(tableName: string)',
  description: 'A limited client-side GlideRecord that queries the server from the browser; prefer GlideAjax.',
  methods: [
    ['addOrderBy(column: string): void', 'Sorts the result by a column.'],
    ['addQuery(fieldName: string, operator?: string, value?: any): void', 'Adds a condition to the query.'],
    ['deleteRecord(responseFunction?: function): boolean', 'Deletes the current record.'],
    ['get(name: any, value?: any): boolean', 'Loads one record by sys_id or by a field and value.'],
    ['getEncodedQuery(): string', 'The conditions as an encoded query.'],
    ['getLimit(): number', 'The maximum number of records returned.'],
    ['getTableName(): string', 'The table name.'],
    ['hasNext(): boolean', 'Whether another record follows.'],
    ['insert(responseFunction?: function): string', 'Inserts the record.'],
    ['next(): boolean', 'Moves to the next record.'],
    ['orderBy(column: string): void', 'Sorts the result by a column.'],
    ['query(responseFunction?: function): void', 'Runs the query; pass a callback so the browser does not block.'],
    ['setLimit(maxQuery: number): void', 'Caps the number of records returned.'],
  ],
};

const GLIDE_LIST2: ApiSpec = {
  name: 'GlideList2',
  kind: 'class',
  description: 'A list on screen: its filter, sort, grouping, selection and refresh (g_list in list scripts).',
  methods: [
    ['addFilter(filter: string): void', 'Adds conditions to the list filter.'],
    ['static get(listId: string): GlideList2', 'The list with the given id or table name.'],
    ['getChecked(): string', 'The sys_ids of the selected rows, comma-separated.'],
    ['getFixedQuery(): string', 'The fixed query of the list.'],
    ['getGroupBy(): string', 'The field the list is grouped by.'],
    ['getListName(): string', 'The name of the list.'],
    ['getOrderBy(): string', 'The sort of the list.'],
    ['getParent(): string', 'The sys_id of the parent record of a related list.'],
    ['getParentTable(): string', 'The table of the parent record of a related list.'],
    ['getQuery(options?: object): string', 'The query of the list.'],
    ['getRelated(): string', 'The related list field.'],
    ['getRelatedTable(): string', 'The table of a related list.'],
    ['getRowCount(): number', 'The number of rows shown.'],
    ['getTableName(): string', 'The table of the list.'],
    ['getTitle(): string', 'The title of the list.'],
    ['getView(): string', 'The view of the list.'],
    ['isUserList(): boolean', 'Whether the list has a personalised column layout.'],
    ['refresh(firstRow?: number, additionalParams?: string): void', 'Reloads the list.'],
    ['refreshWithOrderBy(firstRow?: number, description?: string): void', 'Reloads the list keeping its sort.'],
    ['setFilter(filter: string): void', 'Replaces the list filter.'],
    ['setFilterAndRefresh(filter: string): void', 'Replaces the list filter and reloads.'],
    ['setFirstRow(firstRow: number): void', 'Sets the first row shown.'],
    ['setGroupBy(groupBy: string): void', 'Groups the list by a field.'],
    ['setOrderBy(orderBy: string): void', 'Sets the sort of the list.'],
    ['setRowsPerPage(numRows: number): void', 'Sets how many rows a page shows.'],
    ['showHideGroups(showFlag: boolean): void', 'Expands or collapses the groups.'],
    ['showHideList(showFlag: boolean): void', 'Shows or hides the list.'],
    ['sort(field: string): void', 'Sorts ascending by a field.'],
    ['sortDescending(field: string): void', 'Sorts descending by a field.'],
    ['toggleAll(expand: boolean): void', 'Expands or collapses every list on the page.'],
    ['toggleAllGroups(expand: boolean): void', 'Expands or collapses every group.'],
  ],
};

const G_LIST: ApiSpec = {
  name: 'g_list',
  kind: 'global',
  type: 'GlideList2',
  description: 'In a list UI action or list context menu script, the list the user acted on.',
  methods: [],
};

const GLIDE_DIALOG_WINDOW: ApiSpec = {
  name: 'GlideDialogWindow',
  kind: 'class',
  ctor: '(id: string, readOnly?: boolean, width?: number, height?: number)',
  description: 'A modal dialog that renders a UI page (legacy; GlideModal is its successor).',
  methods: [
    ['adjustBodySize(): void', 'Resizes the dialog body to its content.'],
    ['destroy(): void', 'Closes the dialog.'],
    ['removeCloseDecoration(): void', 'Removes the close button.'],
    ['render(): void', 'Shows the dialog.'],
    ['setPreference(name: string, value: string): void', 'Passes a value to the UI page.'],
    ['setSize(width: number, height: number): void', 'Sets the size.'],
    ['setTitle(title: string): void', 'Sets the title.'],
    ['setWidth(width: number): void', 'Sets the width.'],
  ],
};

const GLIDE_MODAL: ApiSpec = {
  name: 'GlideModal',
  kind: 'class',
  ctor: '(id: string, readOnly?: boolean, width?: number)',
  description: 'A modal dialog that renders a UI page or HTML content.',
  methods: [
    ['destroy(): void', 'Closes the dialog.'],
    ['static get(id?: string): GlideModal', 'The open dialog with the id, or the current one.'],
    ['getPreference(name: string): string', 'A value passed to the UI page.'],
    ['render(): void', 'Shows the dialog.'],
    ['renderWithContent(html: any): void', 'Shows the dialog with HTML content instead of a UI page.'],
    ['setBackdropStatic(enable: boolean): void', 'Keeps the dialog open when the user clicks outside it.'],
    ['setPreference(name: string, value: string): void', 'Passes a value to the UI page.'],
    ['setPreferenceAndReload(properties: object): void', 'Passes values to the UI page and reloads it.'],
    ['setSize(width: number): void', 'Sets the width.'],
    ['setTitle(title: string): void', 'Sets the title.'],
    ['setWidth(width: number): void', 'Sets the width.'],
    ['switchView(newView: string): void', 'Renders the dialog with another view.'],
  ],
};

const GLIDE_URL: ApiSpec = {
  name: 'GlideURL',
  kind: 'class',
  ctor: '(contextPath?: string)',
  description: 'Builds a URL with query parameters.',
  methods: [
    ['addParam(name: string, value: string): void', 'Adds a query parameter.'],
    ['getURL(additionalParams?: object): string', 'The URL with its parameters.'],
  ],
};

const G_NAVIGATION: ApiSpec = {
  name: 'g_navigation',
  kind: 'global',
  type: 'GlideNavigation',
  description: 'Opens pages and records and refreshes the navigator, from client scripts.',
  methods: [
    ['open(url: string, target?: string): void', 'Opens a URL, optionally in another window.'],
    ['openPopup(url: string, name: string, features: string, noStack?: boolean): void', 'Opens a URL in a popup window.'],
    ['openRecord(tableName: string, sysId: string): void', 'Opens a record.'],
    ['refreshNavigator(): void', 'Reloads the application navigator.'],
    ['reloadWindow(): void', 'Reloads the current window.'],
  ],
};

const CLIENT_SCRATCHPAD: ApiSpec = {
  name: 'g_scratchpad',
  kind: 'global',
  description: 'Values a display business rule put there for the client scripts of the form.',
  methods: [],
};

const SP_UTIL: ApiSpec = {
  name: 'spUtil',
  kind: 'global',
  description: 'Service Portal widget client helpers: messages, server updates, record watching.',
  methods: [
    ['addErrorMessage(message: string): void', 'Shows an error message.'],
    ['addInfoMessage(message: string): void', 'Shows an information message.'],
    ['addTrivialMessage(message: string): void', 'Shows a message that fades away.'],
    ['format(template: string, data: object): string', 'Fills {name} placeholders of a template from an object.'],
    ['get(widgetId: string, data?: object): Promise', 'Loads a widget model from the server.'],
    ['getPreference(name: string, callback: function): void', "Reads one of the user's preferences."],
    ['recordWatch(scope: object, table: string, filter: string, callback?: function): Promise', 'Calls back when records of a table matching a filter change.'],
    ['refresh(scope: object): Promise', 'Runs the server script again and refreshes the widget data.'],
    ['scrollTo(selector: string, time?: number): void', 'Scrolls to an element.'],
    ['setPreference(name: string, value: string): void', "Stores one of the user's preferences."],
    ['update(scope: object): Promise', 'Sends the widget data to the server script and takes its answer.'],
  ],
};

const SP_MODAL: ApiSpec = {
  name: 'spModal',
  kind: 'global',
  description: 'Service Portal dialogs: alert, confirm, prompt or a widget in a modal.',
  methods: [
    ['alert(message: string): Promise', 'Shows a message with an OK button.'],
    ['confirm(message: string): Promise', 'Asks the user to confirm.'],
    ['open(options: object): Promise', 'Opens a dialog with a title, message, buttons or a widget.'],
    ['prompt(message: string, defaultValue?: string): Promise', 'Asks the user for a value.'],
  ],
};

export const CLIENT_APIS: readonly ApiSpec[] = [
  GLIDE_FORM,
  GLIDE_USER,
  G_USER,
  GLIDE_AJAX,
  GLIDE_RECORD,
  GLIDE_LIST2,
  G_LIST,
  GLIDE_DIALOG_WINDOW,
  GLIDE_MODAL,
  GLIDE_URL,
  G_NAVIGATION,
  CLIENT_SCRATCHPAD,
  SP_UTIL,
  SP_MODAL,
];
