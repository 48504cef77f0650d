/**
 * The platform's common tables and their fields: a compact built-in catalog, so `new
 * GlideRecord('` and `current.` have answers in a workspace that holds no dictionary records.
 * Names, internal types, references and parents are facts of the platform's data model; the
 * order of tables and of each table's fields is our prior for how often code names them (most
 * common first). Labels are left out where the name says it: `labelOf` spells the name out.
 *
 * Also here, because the syntax layer and the features both need them: which methods take a field
 * name (or a table, or a property) as their first argument.
 *
 * A leaf: imports nothing of the server.
 */

export interface CatalogField {
  name: string;
  /** The dictionary's internal type; `string` when the catalog says nothing. */
  type: string;
  reference?: string;
}

export interface CatalogTable {
  name: string;
  label: string;
  parent?: string;
  /** Own fields only (a child table inherits its parent's). */
  fields: CatalogField[];
}

/**
 * One table a line: `name | Label | parent | fields`. A field is `name` (a string), `name:type`,
 * or `name>table` (a reference to that table).
 */
const CATALOG = `
task | Task | | number short_description description state:integer priority:integer assigned_to>sys_user assignment_group>sys_user_group active:boolean work_notes:journal_input comments:journal_input opened_by>sys_user opened_at:glide_date_time closed_at:glide_date_time closed_by>sys_user impact:integer urgency:integer cmdb_ci>cmdb_ci company>core_company location>cmn_location parent>task due_date:glide_date_time approval contact_type watch_list:glide_list work_notes_list:glide_list business_service>cmdb_ci_service sla_due:glide_date_time escalation:integer correlation_id sys_domain>sys_user_group upon_approval work_start:glide_date_time work_end:glide_date_time close_notes
incident | Incident | task | caller_id>sys_user category subcategory incident_state:integer close_code resolved_at:glide_date_time resolved_by>sys_user problem_id>problem rfc>change_request caused_by>change_request severity:integer hold_reason:integer reopen_count:integer child_incidents:integer parent_incident>incident notify:integer origin_table:table_name origin_id:document_id
problem | Problem | task | problem_state:integer known_error:boolean cause_notes fix_notes workaround related_incidents:integer first_reported_by_task>task resolution_code category subcategory
change_request | Change Request | task | type category risk:integer start_date:glide_date_time end_date:glide_date_time requested_by>sys_user implementation_plan backout_plan test_plan justification cab_required:boolean cab_date:glide_date phase on_hold:boolean review_status:integer conflict_status std_change_producer_version>std_change_producer_version chg_model>chg_model
change_task | Change Task | task | change_request>change_request change_task_type planned_start_date:glide_date_time planned_end_date:glide_date_time on_hold:boolean
sc_request | Request | task | requested_for>sys_user request_state stage price:currency special_instructions delivery_address calendar_stc:integer
sc_req_item | Requested Item | task | request>sc_request cat_item>sc_cat_item requested_for>sys_user stage quantity:integer price:currency recurring_price:currency order_guide>sc_cat_item_guide configuration_item>cmdb_ci backordered:boolean
sc_task | Catalog Task | task | request_item>sc_req_item request>sc_request calendar_stc:integer
sc_cat_item | Catalog Item | | name short_description description active:boolean category>sc_category price:currency sc_catalogs:glide_list workflow>wf_workflow flow_designer_flow>sys_hub_flow group>sys_user_group order:integer
sc_category | Category | | title description active:boolean parent>sc_category sc_catalog>sc_catalog
sc_item_option_mtom | Variable Ownership | | request_item>sc_req_item sc_item_option>sc_item_option
sysapproval_approver | Approval | | approver>sys_user state sysapproval>task document_id:document_id source_table:table_name comments:journal_input due_date:glide_date_time group>sysapproval_group
sysapproval_group | Group approval | task | parent>task assignment_group>sys_user_group approval
sys_user | User | | user_name first_name last_name name email active:boolean manager>sys_user department>cmn_department company>core_company location>cmn_location title phone mobile_phone employee_number vip:boolean locked_out:boolean time_zone last_login_time:glide_date_time cost_center>cmn_cost_center source
sys_user_group | Group | | name description manager>sys_user email active:boolean parent>sys_user_group type:glide_list cost_center>cmn_cost_center
sys_user_grmember | Group Member | | user>sys_user group>sys_user_group
sys_user_has_role | User Role | | user>sys_user role>sys_user_role state inherited:boolean granted_by>sys_user_group
sys_user_role | Role | | name description suffix elevated_privilege:boolean
sys_user_preference | User Preference | | user>sys_user name value description
core_company | Company | | name city state country phone street zip vendor:boolean customer:boolean manufacturer:boolean parent>core_company
cmn_location | Location | | name street city state zip country latitude:float longitude:float parent>cmn_location company>core_company
cmn_department | Department | | name head>sys_user parent>cmn_department company>core_company cost_center>cmn_cost_center
cmn_cost_center | Cost Center | | name code manager>sys_user parent>cmn_cost_center
cmdb_ci | Configuration Item | | name sys_class_name:sys_class_name install_status:integer operational_status:integer serial_number asset_tag ip_address location>cmn_location assigned_to>sys_user support_group>sys_user_group managed_by>sys_user owned_by>sys_user company>core_company manufacturer>core_company model_id>cmdb_model asset>alm_asset category short_description fqdn dns_domain mac_address discovery_source last_discovered:glide_date_time used_for environment
cmdb_ci_hardware | Hardware | cmdb_ci | form_factor cpu_count:integer ram:integer disk_space:decimal
cmdb_ci_computer | Computer | cmdb_ci_hardware | os os_version os_service_pack cpu_type cpu_speed:decimal host_name
cmdb_ci_server | Server | cmdb_ci_computer | classification firewall_status
cmdb_ci_service | Service | cmdb_ci | service_classification busines_criticality version
cmdb_ci_appl | Application | cmdb_ci | version running_process>cmdb_running_process install_directory
cmdb_rel_ci | CI Relationship | | parent>cmdb_ci child>cmdb_ci type>cmdb_rel_type
cmdb_rel_type | CI Relationship Type | | name parent_descriptor child_descriptor
cmdb_model | Product Model | | name display_name manufacturer>core_company model_number cmdb_ci_class
alm_asset | Asset | | asset_tag display_name model>cmdb_model model_category>cmdb_model_category serial_number install_status:integer substatus assigned_to>sys_user owned_by>sys_user location>cmn_location ci>cmdb_ci company>core_company department>cmn_department cost:currency stockroom>alm_stockroom purchase_date:glide_date warranty_expiration:glide_date retirement_date:glide_date
alm_hardware | Hardware Asset | alm_asset | hardware_status hardware_substatus
kb_knowledge | Knowledge | | number short_description text:html kb_knowledge_base>kb_knowledge_base kb_category>kb_category workflow_state author>sys_user valid_to:glide_date published:glide_date active:boolean article_type
task_sla | Task SLA | | task>task sla>contract_sla stage has_breached:boolean planned_end_time:glide_date_time start_time:glide_date_time end_time:glide_date_time percentage:percent_complete business_percentage:percent_complete active:boolean
sys_properties | System Property | | name value description type suffix choices ignore_cache:boolean
sys_choice | Choice | | name element value label sequence:integer inactive:boolean language dependent_value
sys_attachment | Attachment | | file_name content_type size_bytes table_name table_sys_id
sys_email | Email | | subject recipients body:html type instance:document_id target_table:table_name mailbox
sysevent | Event | | name parm1 parm2 instance:document_id table state queue process_on:glide_date_time
sys_journal_field | Journal Entry | | element element_id name value
sys_audit | Audit | | tablename documentkey fieldname oldvalue newvalue user
sys_script_include | Script Include | | name api_name script:script client_callable:boolean access active:boolean description
sys_script | Business Rule | | name collection:table_name when order:integer active:boolean condition script:script filter_condition:conditions action_insert:boolean action_update:boolean action_delete:boolean action_query:boolean advanced:boolean
sys_db_object | Table | | name label super_class>sys_db_object is_extendable:boolean
sys_dictionary | Dictionary Entry | | name:table_name element column_label internal_type>sys_glide_object reference>sys_db_object max_length:integer mandatory:boolean active:boolean
sys_update_set | Update Set | | name state application>sys_scope description
sys_app | Application | | name scope version active:boolean
ecc_queue | Queue | | agent topic name source queue state payload
`;

/** Fields every table has. */
const SYSTEM_FIELDS: CatalogField[] = [
  { name: 'sys_id', type: 'GUID' },
  { name: 'sys_created_on', type: 'glide_date_time' },
  { name: 'sys_created_by', type: 'string' },
  { name: 'sys_updated_on', type: 'glide_date_time' },
  { name: 'sys_updated_by', type: 'string' },
  { name: 'sys_mod_count', type: 'integer' },
];

function parseCatalog(text: string): CatalogTable[] {
  const out: CatalogTable[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    const [name, label, parent, fields] = line.split('|').map((s) => s.trim());
    const table: CatalogTable = { name, label, fields: [] };
    if (parent) table.parent = parent;
    for (const spec of fields.split(/\s+/).filter(Boolean)) {
      const ref = spec.indexOf('>');
      if (ref > 0) {
        table.fields.push({ name: spec.slice(0, ref), type: 'reference', reference: spec.slice(ref + 1) });
        continue;
      }
      const [field, type] = spec.split(':');
      table.fields.push({ name: field, type: type ?? 'string' });
    }
    out.push(table);
  }
  return out;
}

const TABLES = parseCatalog(CATALOG);
const BY_NAME = new Map(TABLES.map((t) => [t.name, t] as const));

/** The built-in tables, most commonly named first. */
export function catalogTables(): readonly CatalogTable[] {
  return TABLES;
}

export function catalogTable(name: string): CatalogTable | undefined {
  return BY_NAME.get(name);
}

export function systemFields(): readonly CatalogField[] {
  return SYSTEM_FIELDS;
}

/** `short_description` -> `Short description`; what a label says when none is recorded. */
export function labelOf(name: string): string {
  const words = name.replace(/^u_/, '').split('_').filter(Boolean);
  if (!words.length) return name;
  const text = words.join(' ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

// ---------------------------------------------------------------------------------------------
// Methods whose first argument names a table, a field or a property.

/** Methods of a GlideRecord (and its kin) whose first argument is a field name. */
const RECORD_FIELD_METHODS = new Set([
  'addQuery', 'addNullQuery', 'addNotNullQuery', 'orderBy', 'orderByDesc', 'getValue', 'setValue', 'getDisplayValue',
  'getElement', 'isValidField', 'groupBy', 'addTrendQuery', 'orderByAggregate',
  // GlideQuery
  'where', 'orWhere', 'whereNull', 'whereNotNull', 'orWhereNull', 'orWhereNotNull', 'select', 'selectOne',
]);

/** `g_form` methods whose first argument is a field name. */
const FORM_FIELD_METHODS = new Set([
  'getValue', 'setValue', 'setMandatory', 'setDisplay', 'setVisible', 'setReadOnly', 'setDisabled', 'clearValue',
  'getReference', 'getDisplayBox', 'getControl', 'getElement', 'showFieldMsg', 'hideFieldMsg', 'flash', 'addOption',
  'clearOptions', 'removeOption', 'getLabelOf', 'setLabelOf', 'getIntValue', 'getBooleanValue', 'getDecimalValue',
  'isMandatory', 'hasField', 'getOption', 'showErrorBox', 'hideErrorBox', 'isVisible', 'getDisplayValue',
]);

/** Does `method` on a receiver of this platform type take a field name first? */
export function takesField(receiverType: string, method: string): boolean {
  if (receiverType === 'g_form' || receiverType === 'GlideForm') return FORM_FIELD_METHODS.has(method);
  return RECORD_FIELD_METHODS.has(method);
}

/** `addEncodedQuery('`: a query string whose terms start with field names. */
export function takesEncodedQuery(receiverType: string, method: string): boolean {
  return receiverType !== 'g_form' && receiverType !== 'GlideForm' && method === 'addEncodedQuery';
}

/** `gs.getProperty('`: a system property's name. */
export function takesProperty(receiver: string, method: string): boolean {
  return (receiver === 'gs' || receiver === 'GlideSystem') && method === 'getProperty';
}

/**
 * The field names of an encoded query (`active=true^priority<=2^ORstate=1^NQcategory=x`): the
 * name that starts each term, before its operator.
 */
export function encodedQueryFields(query: string): string[] {
  const out: string[] = [];
  for (const term of query.split(/\^(?:OR(?!DERBY)|NQ|EQ)?/)) {
    const t = term.trim().replace(/^(?:ORDERBYDESC|ORDERBY|GROUPBY)/, '');
    const m = /^([a-z_][\w]*)/.exec(t);
    if (m) out.push(m[1]);
  }
  return out;
}
