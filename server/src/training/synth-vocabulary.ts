/**
 * The words the synthetic instance is made of: business domains, their tables and fields, the
 * name parts Script Includes are compounded from, and the vendors that own scoped apps. Callers
 * and Script Includes of one domain draw on the same tables and fields, which is the genuine
 * signal a retriever can learn; several domains share generic fields (state, assigned_to) and
 * every domain has many competing names, which keeps that signal imperfect.
 */

export interface Entity {
  /** Name part used in class and method names (`Incident`, `HRCase`). */
  noun: string;
  plural: string;
  /** Variable-name abbreviation (`inc`, `hrCase`). */
  short: string;
  table: string;
  /** Ordinary fields used in queries and assignments. */
  fields: readonly string[];
  /** A field referencing sys_user. */
  user: string;
  /** A field referencing sys_user_group, when the table has one. */
  group?: string;
  /** A date-time field. */
  date: string;
  /** State values: open ones and the closing one. */
  state?: { field: string; open: readonly string[]; closed: string };
  /** Lifecycle verbs that make sense for this record (`close`, `approve`, `publish`). */
  verbs: readonly string[];
}

export interface Domain {
  key: string;
  label: string;
  /** The plugin a global-scope Script Include of this domain is packaged in. */
  plugin: string;
  /** Short app names for scoped applications built around this domain. */
  apps: readonly string[];
  entities: readonly Entity[];
  /** CamelCase concepts compounded into names (`SLA`, `RootCause`). */
  concepts: readonly string[];
  /** Qualifiers put in front of names (`Major`, `Emergency`). */
  qualifiers: readonly string[];
  roles: readonly string[];
  events: readonly string[];
  properties: readonly string[];
}

const OPEN_TASK = { field: 'state', open: ['1', '2', '-5'], closed: '3' } as const;

export const DOMAINS: readonly Domain[] = [
  {
    key: 'incident',
    label: 'Incident Management',
    plugin: 'com.snc.incident',
    apps: ['itsm', 'inc', 'ops', 'svcdesk'],
    entities: [
      {
        noun: 'Incident', plural: 'Incidents', short: 'inc', table: 'incident',
        fields: ['short_description', 'priority', 'impact', 'urgency', 'category', 'subcategory', 'cmdb_ci', 'close_code', 'close_notes', 'business_service', 'contact_type', 'reassignment_count'],
        user: 'caller_id', group: 'assignment_group', date: 'opened_at',
        state: { field: 'state', open: ['1', '2', '3'], closed: '7' },
        verbs: ['resolve', 'close', 'reopen', 'escalate', 'cancel'],
      },
      {
        noun: 'IncidentTask', plural: 'IncidentTasks', short: 'incTask', table: 'incident_task',
        fields: ['incident', 'short_description', 'priority', 'due_date', 'work_notes'],
        user: 'assigned_to', group: 'assignment_group', date: 'due_date', state: OPEN_TASK,
        verbs: ['close', 'complete', 'cancel'],
      },
      {
        noun: 'Outage', plural: 'Outages', short: 'outage', table: 'cmdb_ci_outage',
        fields: ['cmdb_ci', 'type', 'begin', 'end', 'duration', 'task_number', 'message'],
        user: 'sys_created_by', date: 'begin',
        verbs: ['close', 'record'],
      },
    ],
    concepts: ['Assignment', 'Priority', 'Escalation', 'Resolution', 'Triage', 'Routing', 'Metrics', 'OnCall', 'Timeline', 'Reassignment'],
    qualifiers: ['Major', 'Child', 'Parent', 'Security', 'Auto', 'Bulk', 'Legacy', 'Mobile', 'Portal', 'VIP', 'Network', 'Desktop'],
    roles: ['itil', 'incident_manager', 'major_incident_manager'],
    events: ['incident.assigned', 'incident.escalated', 'incident.resolved'],
    properties: ['incident.autoclose.days', 'incident.escalation.threshold', 'incident.reassignment.limit'],
  },
  {
    key: 'problem',
    label: 'Problem Management',
    plugin: 'com.snc.problem',
    apps: ['prb', 'rca', 'itsm'],
    entities: [
      {
        noun: 'Problem', plural: 'Problems', short: 'prb', table: 'problem',
        fields: ['short_description', 'known_error', 'workaround', 'cause_notes', 'fix_notes', 'priority', 'first_reported_by_task', 'resolution_code', 'category', 'cmdb_ci'],
        user: 'assigned_to', group: 'assignment_group', date: 'opened_at',
        state: { field: 'state', open: ['101', '102', '103', '104'], closed: '107' },
        verbs: ['close', 'resolve', 'reassess', 'cancel'],
      },
      {
        noun: 'ProblemTask', plural: 'ProblemTasks', short: 'prbTask', table: 'problem_task',
        fields: ['problem', 'short_description', 'problem_task_type', 'cause_code', 'work_notes'],
        user: 'assigned_to', group: 'assignment_group', date: 'opened_at',
        state: { field: 'state', open: ['151', '152', '154'], closed: '157' },
        verbs: ['close', 'complete', 'reassign'],
      },
      {
        noun: 'KnownError', plural: 'KnownErrors', short: 'ke', table: 'problem',
        fields: ['known_error', 'workaround', 'cause_notes', 'kb_article', 'short_description'],
        user: 'assigned_to', group: 'assignment_group', date: 'sys_updated_on',
        verbs: ['publish', 'retire'],
      },
    ],
    concepts: ['RootCause', 'Workaround', 'Analysis', 'Trend', 'RCA', 'Correlation', 'Review', 'Recurrence'],
    qualifiers: ['Proactive', 'Reactive', 'Major', 'Linked', 'Auto', 'Bulk', 'Legacy', 'Vendor', 'Recurring'],
    roles: ['itil', 'problem_manager', 'problem_coordinator'],
    events: ['problem.assigned', 'problem.known_error', 'problem.closed'],
    properties: ['problem.rca.due_days', 'problem.recurrence.window'],
  },
  {
    key: 'change',
    label: 'Change Management',
    plugin: 'com.snc.change_management',
    apps: ['chg', 'cab', 'release'],
    entities: [
      {
        noun: 'Change', plural: 'Changes', short: 'chg', table: 'change_request',
        fields: ['short_description', 'type', 'risk', 'impact', 'start_date', 'end_date', 'cab_date', 'cab_required', 'implementation_plan', 'backout_plan', 'test_plan', 'conflict_status', 'cmdb_ci', 'approval'],
        user: 'requested_by', group: 'assignment_group', date: 'start_date',
        state: { field: 'state', open: ['-5', '-4', '-3', '-2', '-1'], closed: '3' },
        verbs: ['approve', 'reject', 'schedule', 'implement', 'close', 'cancel'],
      },
      {
        noun: 'ChangeTask', plural: 'ChangeTasks', short: 'chgTask', table: 'change_task',
        fields: ['change_request', 'short_description', 'planned_start_date', 'planned_end_date', 'change_task_type', 'on_hold'],
        user: 'assigned_to', group: 'assignment_group', date: 'planned_start_date', state: OPEN_TASK,
        verbs: ['close', 'complete', 'cancel'],
      },
      {
        noun: 'Approval', plural: 'Approvals', short: 'appr', table: 'sysapproval_approver',
        fields: ['approver', 'sysapproval', 'source_table', 'document_id', 'comments', 'due_date'],
        user: 'approver', date: 'sys_created_on',
        state: { field: 'state', open: ['requested', 'not requested'], closed: 'approved' },
        verbs: ['approve', 'reject', 'delegate', 'cancel'],
      },
    ],
    concepts: ['Risk', 'Conflict', 'CAB', 'Schedule', 'Approval', 'Blackout', 'Freeze', 'Collision', 'Implementation', 'Window'],
    qualifiers: ['Standard', 'Normal', 'Emergency', 'Cloud', 'Network', 'Release', 'Model', 'Auto', 'Bulk', 'Legacy'],
    roles: ['itil', 'change_manager', 'sn_change_cab.cab_manager'],
    events: ['change.approved', 'change.rejected', 'change.scheduled'],
    properties: ['change.conflict.mode', 'change.risk.default', 'change.blackout.enabled'],
  },
  {
    key: 'sla',
    label: 'Service Level Management',
    plugin: 'com.snc.sla',
    apps: ['sla', 'ola', 'svclvl'],
    entities: [
      {
        noun: 'TaskSLA', plural: 'TaskSLAs', short: 'taskSla', table: 'task_sla',
        fields: ['task', 'sla', 'stage', 'has_breached', 'planned_end_time', 'business_percentage', 'business_time_left', 'start_time', 'end_time', 'pause_duration'],
        user: 'task.assigned_to', date: 'start_time',
        verbs: ['pause', 'resume', 'cancel', 'repair'],
      },
      {
        noun: 'SLADefinition', plural: 'SLADefinitions', short: 'slaDef', table: 'contract_sla',
        fields: ['name', 'collection', 'duration', 'schedule', 'target', 'start_condition', 'stop_condition', 'pause_condition', 'timezone'],
        user: 'sys_created_by', date: 'sys_updated_on',
        verbs: ['activate', 'retire'],
      },
      {
        noun: 'Task', plural: 'Tasks', short: 'task', table: 'task',
        fields: ['number', 'short_description', 'priority', 'sys_class_name', 'due_date', 'active', 'escalation', 'made_sla'],
        user: 'assigned_to', group: 'assignment_group', date: 'opened_at', state: OPEN_TASK,
        verbs: ['close', 'escalate', 'reassign'],
      },
    ],
    concepts: ['Breach', 'Timer', 'Schedule', 'Pause', 'Duration', 'Target', 'OLA', 'Warning', 'Percentage', 'Stage'],
    qualifiers: ['Business', 'Retroactive', 'Contract', 'Vendor', 'Internal', 'Auto', 'Legacy', 'Custom'],
    roles: ['itil', 'sla_admin', 'sla_manager'],
    events: ['sla.warning', 'sla.breached', 'sla.repaired'],
    properties: ['sla.warning.percentage', 'sla.schedule.default', 'sla.repair.enabled'],
  },
  {
    key: 'hr',
    label: 'Human Resources',
    plugin: 'com.sn_hr_core',
    apps: ['hr', 'hrsd', 'onboard', 'people'],
    entities: [
      {
        noun: 'HRCase', plural: 'HRCases', short: 'hrCase', table: 'sn_hr_core_case',
        fields: ['subject_person', 'hr_service', 'priority', 'short_description', 'description', 'due_date', 'hr_service.fulfillment_type', 'confidential', 'topic_category'],
        user: 'opened_for', group: 'assignment_group', date: 'opened_at',
        state: { field: 'state', open: ['10', '18', '20'], closed: '3' },
        verbs: ['close', 'route', 'cancel', 'reopen', 'transfer'],
      },
      {
        noun: 'EmployeeProfile', plural: 'EmployeeProfiles', short: 'profile', table: 'sn_hr_core_profile',
        fields: ['employee_number', 'department', 'location', 'manager', 'employment_start_date', 'employment_type', 'position', 'work_email', 'personal_email', 'cost_center'],
        user: 'user', date: 'employment_start_date',
        verbs: ['update', 'sync', 'archive'],
      },
      {
        noun: 'Onboarding', plural: 'Onboardings', short: 'onb', table: 'sn_hr_le_case',
        fields: ['subject_person', 'le_type', 'start_date', 'hr_service', 'location', 'manager', 'equipment_required'],
        user: 'opened_for', group: 'assignment_group', date: 'start_date',
        state: { field: 'state', open: ['10', '18'], closed: '3' },
        verbs: ['start', 'complete', 'cancel'],
      },
      {
        noun: 'HRTask', plural: 'HRTasks', short: 'hrTask', table: 'sn_hr_core_task',
        fields: ['parent', 'hr_task_type', 'short_description', 'due_date', 'url', 'optional'],
        user: 'assigned_to', group: 'assignment_group', date: 'due_date', state: OPEN_TASK,
        verbs: ['complete', 'skip', 'reassign'],
      },
    ],
    concepts: ['Eligibility', 'Document', 'Benefits', 'Payroll', 'Leave', 'Checklist', 'Lifecycle', 'Offboarding', 'Probation', 'Relocation'],
    qualifiers: ['Global', 'Regional', 'Contractor', 'Intern', 'Confidential', 'Bulk', 'Remote', 'Executive', 'Legacy'],
    roles: ['sn_hr_core.case_writer', 'sn_hr_core.manager', 'sn_hr_core.basic'],
    events: ['sn_hr_core.case.assigned', 'sn_hr_core.onboarding.started', 'sn_hr_core.task.overdue'],
    properties: ['sn_hr_core.case.autoclose_days', 'sn_hr_core.onboarding.lead_days'],
  },
  {
    key: 'cmdb',
    label: 'Configuration Management',
    plugin: 'com.snc.cmdb',
    apps: ['cmdb', 'ci', 'discovery', 'topo'],
    entities: [
      {
        noun: 'CI', plural: 'CIs', short: 'ci', table: 'cmdb_ci',
        fields: ['name', 'sys_class_name', 'operational_status', 'install_status', 'ip_address', 'serial_number', 'support_group', 'location', 'manufacturer', 'model_id', 'discovery_source', 'last_discovered'],
        user: 'managed_by', group: 'support_group', date: 'last_discovered',
        verbs: ['retire', 'reconcile', 'merge', 'update'],
      },
      {
        noun: 'Server', plural: 'Servers', short: 'srv', table: 'cmdb_ci_server',
        fields: ['name', 'os', 'os_version', 'ip_address', 'cpu_count', 'ram', 'disk_space', 'host_name', 'fqdn', 'classification', 'install_status'],
        user: 'owned_by', group: 'support_group', date: 'last_discovered',
        verbs: ['decommission', 'patch', 'retire'],
      },
      {
        noun: 'CIRelationship', plural: 'CIRelationships', short: 'rel', table: 'cmdb_rel_ci',
        fields: ['parent', 'child', 'type', 'connection_strength', 'port'],
        user: 'sys_created_by', date: 'sys_updated_on',
        verbs: ['create', 'remove', 'validate'],
      },
      {
        noun: 'BusinessService', plural: 'BusinessServices', short: 'svc', table: 'cmdb_ci_service',
        fields: ['name', 'busines_criticality', 'operational_status', 'service_classification', 'used_for', 'version'],
        user: 'owned_by', group: 'support_group', date: 'sys_updated_on',
        verbs: ['retire', 'publish', 'map'],
      },
    ],
    concepts: ['Relationship', 'Dependency', 'Impact', 'Discovery', 'Reconciliation', 'Health', 'Topology', 'Identification', 'Duplicate', 'Compliance'],
    qualifiers: ['Cloud', 'Linux', 'Windows', 'Virtual', 'Network', 'Storage', 'Database', 'Application', 'Legacy', 'Bulk'],
    roles: ['itil', 'cmdb_admin', 'asset'],
    events: ['cmdb.ci.retired', 'cmdb.ci.duplicate', 'cmdb.relationship.changed'],
    properties: ['glide.cmdb.reconciliation.enabled', 'cmdb.health.staleness_days'],
  },
  {
    key: 'asset',
    label: 'Asset Management',
    plugin: 'com.snc.asset_management',
    apps: ['alm', 'asset', 'sam', 'hwm'],
    entities: [
      {
        noun: 'Hardware', plural: 'HardwareAssets', short: 'hw', table: 'alm_hardware',
        fields: ['asset_tag', 'serial_number', 'model', 'model_category', 'install_status', 'substatus', 'location', 'cost', 'warranty_expiration', 'ci', 'stockroom'],
        user: 'assigned_to', group: 'support_group', date: 'warranty_expiration',
        verbs: ['allocate', 'retire', 'dispose', 'transfer'],
      },
      {
        noun: 'License', plural: 'Licenses', short: 'lic', table: 'alm_license',
        fields: ['display_name', 'software_model', 'rights', 'allocated', 'cost', 'expiration_date', 'license_key'],
        user: 'assigned_to', date: 'expiration_date',
        verbs: ['allocate', 'reclaim', 'renew'],
      },
      {
        noun: 'Contract', plural: 'Contracts', short: 'contract', table: 'ast_contract',
        fields: ['contract_number', 'vendor', 'starts', 'ends', 'cost', 'renewal_date', 'payment_schedule', 'contract_model'],
        user: 'contract_administrator', date: 'ends',
        state: { field: 'state', open: ['draft', 'active'], closed: 'expired' },
        verbs: ['renew', 'cancel', 'approve'],
      },
      {
        noun: 'Stockroom', plural: 'Stockrooms', short: 'stock', table: 'alm_stockroom',
        fields: ['name', 'location', 'type', 'external'],
        user: 'manager', date: 'sys_updated_on',
        verbs: ['transfer', 'restock'],
      },
    ],
    concepts: ['Depreciation', 'Warranty', 'Refresh', 'Allocation', 'Disposal', 'Audit', 'Reconciliation', 'Cost', 'Stock', 'Entitlement'],
    qualifiers: ['Software', 'Laptop', 'Mobile', 'Consumable', 'Leased', 'Bulk', 'Legacy', 'Vendor', 'Regional'],
    roles: ['asset', 'sam_admin', 'contract_manager'],
    events: ['asset.warranty.expiring', 'asset.retired', 'contract.renewal.due'],
    properties: ['asset.depreciation.method', 'asset.warranty.notice_days'],
  },
  {
    key: 'catalog',
    label: 'Service Catalog',
    plugin: 'com.glideapp.servicecatalog',
    apps: ['cat', 'sc', 'request', 'portal'],
    entities: [
      {
        noun: 'Request', plural: 'Requests', short: 'req', table: 'sc_request',
        fields: ['requested_by', 'request_state', 'stage', 'approval', 'price', 'due_date', 'special_instructions', 'delivery_address'],
        user: 'requested_for', date: 'opened_at',
        verbs: ['approve', 'cancel', 'close', 'submit'],
      },
      {
        noun: 'RequestItem', plural: 'RequestItems', short: 'ritm', table: 'sc_req_item',
        fields: ['request', 'cat_item', 'stage', 'quantity', 'price', 'approval', 'configuration_item', 'due_date', 'short_description'],
        user: 'requested_for', group: 'assignment_group', date: 'opened_at',
        state: { field: 'state', open: ['1', '2', '-5'], closed: '3' },
        verbs: ['fulfill', 'cancel', 'approve', 'close'],
      },
      {
        noun: 'CatalogItem', plural: 'CatalogItems', short: 'catItem', table: 'sc_cat_item',
        fields: ['name', 'short_description', 'category', 'price', 'active', 'workflow', 'flow_designer_flow', 'sc_catalogs', 'availability'],
        user: 'owner', group: 'group', date: 'sys_updated_on',
        verbs: ['publish', 'retire', 'clone'],
      },
      {
        noun: 'CatalogTask', plural: 'CatalogTasks', short: 'scTask', table: 'sc_task',
        fields: ['request_item', 'short_description', 'due_date', 'work_notes', 'priority'],
        user: 'assigned_to', group: 'assignment_group', date: 'opened_at', state: OPEN_TASK,
        verbs: ['close', 'complete', 'reassign'],
      },
      {
        noun: 'Variable', plural: 'Variables', short: 'variable', table: 'item_option_new',
        fields: ['name', 'question_text', 'type', 'cat_item', 'mandatory', 'order', 'default_value'],
        user: 'sys_created_by', date: 'sys_updated_on',
        verbs: ['validate', 'copy'],
      },
    ],
    concepts: ['Fulfillment', 'Approval', 'Pricing', 'Cart', 'Bundle', 'Entitlement', 'Stage', 'Variables', 'Delivery', 'Availability'],
    qualifiers: ['Hardware', 'Software', 'Access', 'Order', 'Guided', 'Bulk', 'Portal', 'Mobile', 'Legacy', 'Express'],
    roles: ['catalog_admin', 'catalog_manager', 'itil'],
    events: ['sc_req_item.approved', 'sc_request.delivered', 'sc_task.assigned'],
    properties: ['glide.sc.checkout.twostep', 'glide.sc.max_items', 'sc.fulfillment.default_group'],
  },
  {
    key: 'security',
    label: 'Access and Security',
    plugin: 'com.glide.security',
    apps: ['sec', 'iam', 'access', 'audit'],
    entities: [
      {
        noun: 'UserRole', plural: 'UserRoles', short: 'userRole', table: 'sys_user_has_role',
        fields: ['role', 'inherited', 'granted_by', 'state', 'include_for'],
        user: 'user', date: 'sys_created_on',
        verbs: ['grant', 'revoke', 'expire'],
      },
      {
        noun: 'Role', plural: 'Roles', short: 'role', table: 'sys_user_role',
        fields: ['name', 'description', 'elevated_privilege', 'assignable_by', 'suffix', 'grantable'],
        user: 'sys_created_by', date: 'sys_updated_on',
        verbs: ['elevate', 'assign', 'retire'],
      },
      {
        noun: 'ACL', plural: 'ACLs', short: 'acl', table: 'sys_security_acl',
        fields: ['name', 'operation', 'type', 'admin_overrides', 'condition', 'active', 'advanced'],
        user: 'sys_updated_by', date: 'sys_updated_on',
        verbs: ['evaluate', 'disable', 'review'],
      },
      {
        noun: 'Audit', plural: 'AuditEntries', short: 'audit', table: 'sys_audit',
        fields: ['tablename', 'fieldname', 'documentkey', 'oldvalue', 'newvalue', 'reason', 'record_checkpoint'],
        user: 'user', date: 'sys_created_on',
        verbs: ['record', 'review', 'purge'],
      },
      {
        noun: 'GroupMember', plural: 'GroupMembers', short: 'member', table: 'sys_user_grmember',
        fields: ['group', 'user'],
        user: 'user', group: 'group', date: 'sys_created_on',
        verbs: ['add', 'remove', 'sync'],
      },
    ],
    concepts: ['Access', 'Permission', 'Elevation', 'Delegation', 'Membership', 'Compliance', 'Session', 'Privilege', 'Certification', 'Lockout'],
    qualifiers: ['Admin', 'Privileged', 'Scoped', 'Temporary', 'Emergency', 'External', 'Bulk', 'Legacy', 'SSO'],
    roles: ['admin', 'security_admin', 'user_admin'],
    events: ['security.role.granted', 'security.elevation', 'user.locked_out'],
    properties: ['glide.security.strict_elevate', 'security.role.review_days', 'glide.user.max_failed_logins'],
  },
  {
    key: 'integration',
    label: 'Integrations',
    plugin: 'com.glide.rest',
    apps: ['int', 'sync', 'connect', 'etl'],
    entities: [
      {
        noun: 'ImportSetRow', plural: 'ImportSetRows', short: 'row', table: 'sys_import_set_row',
        fields: ['sys_import_set', 'sys_import_state', 'sys_target_table', 'sys_target_sys_id', 'sys_row_error', 'sys_transform_map', 'sys_import_state_comment'],
        user: 'sys_created_by', date: 'sys_created_on',
        verbs: ['transform', 'retry', 'skip'],
      },
      {
        noun: 'ImportSet', plural: 'ImportSets', short: 'importSet', table: 'sys_import_set',
        fields: ['state', 'table_name', 'data_source', 'load_completed', 'mode', 'short_description'],
        user: 'sys_created_by', date: 'load_completed',
        verbs: ['load', 'transform', 'cancel'],
      },
      {
        noun: 'ECCQueue', plural: 'ECCQueueEntries', short: 'ecc', table: 'ecc_queue',
        fields: ['agent', 'topic', 'name', 'source', 'queue', 'state', 'payload', 'response_to', 'processed', 'error_string'],
        user: 'sys_created_by', date: 'sys_created_on',
        verbs: ['process', 'retry', 'purge'],
      },
      {
        noun: 'RESTMessage', plural: 'RESTMessages', short: 'restMsg', table: 'sys_rest_message',
        fields: ['name', 'rest_endpoint', 'authentication_type', 'basic_auth_profile', 'use_mid_server'],
        user: 'sys_updated_by', date: 'sys_updated_on',
        verbs: ['send', 'test', 'sign'],
      },
      {
        noun: 'TransformMap', plural: 'TransformMaps', short: 'map', table: 'sys_transform_map',
        fields: ['name', 'source_table', 'target_table', 'active', 'run_business_rules', 'order', 'enforce_mandatory_fields'],
        user: 'sys_updated_by', date: 'sys_updated_on',
        verbs: ['run', 'validate', 'disable'],
      },
    ],
    concepts: ['Payload', 'Transform', 'Endpoint', 'Retry', 'Mapping', 'Sync', 'Webhook', 'Queue', 'Token', 'Batch'],
    qualifiers: ['Jira', 'Salesforce', 'Workday', 'SAP', 'Azure', 'AWS', 'Okta', 'Slack', 'Teams', 'SOAP', 'REST', 'Legacy'],
    roles: ['rest_service', 'import_admin', 'web_service_admin'],
    events: ['integration.sync.failed', 'integration.payload.received', 'import.completed'],
    properties: ['integration.retry.max', 'integration.endpoint.timeout', 'integration.batch.size'],
  },
  {
    key: 'notification',
    label: 'Notifications',
    plugin: 'com.glide.notification',
    apps: ['notify', 'comms', 'mail'],
    entities: [
      {
        noun: 'Email', plural: 'Emails', short: 'email', table: 'sys_email',
        fields: ['type', 'recipients', 'subject', 'body', 'instance', 'target_table', 'mailbox', 'content_type', 'error_string'],
        user: 'user_id', date: 'sys_created_on',
        verbs: ['send', 'ignore', 'resend'],
      },
      {
        noun: 'Notification', plural: 'Notifications', short: 'notif', table: 'sysevent_email_action',
        fields: ['name', 'collection', 'event_name', 'active', 'recipient_users', 'recipient_groups', 'subject', 'message_html', 'weight'],
        user: 'sys_updated_by', date: 'sys_updated_on',
        verbs: ['enable', 'disable', 'preview'],
      },
      {
        noun: 'Event', plural: 'Events', short: 'evt', table: 'sysevent',
        fields: ['name', 'parm1', 'parm2', 'instance', 'table', 'state', 'queue', 'processed'],
        user: 'user_id', date: 'sys_created_on',
        verbs: ['queue', 'process', 'purge'],
      },
      {
        noun: 'Subscription', plural: 'Subscriptions', short: 'sub', table: 'cmn_notif_message',
        fields: ['notification', 'device', 'notification_filter', 'advanced_filter'],
        user: 'user', date: 'sys_updated_on',
        verbs: ['subscribe', 'unsubscribe'],
      },
    ],
    concepts: ['Digest', 'Template', 'Recipient', 'Reminder', 'Channel', 'Preference', 'Summary', 'Bounce', 'Delivery', 'Signature'],
    qualifiers: ['Daily', 'Weekly', 'SMS', 'Push', 'Outbound', 'Inbound', 'Bulk', 'Legacy', 'HTML'],
    roles: ['admin', 'notification_admin', 'email_admin'],
    events: ['notification.sent', 'email.bounced', 'reminder.due'],
    properties: ['glide.email.smtp.active', 'notification.digest.hour', 'glide.email.test.user'],
  },
  {
    key: 'knowledge',
    label: 'Knowledge Management',
    plugin: 'com.snc.knowledge',
    apps: ['kb', 'knowledge', 'docs'],
    entities: [
      {
        noun: 'Article', plural: 'Articles', short: 'kb', table: 'kb_knowledge',
        fields: ['short_description', 'text', 'kb_knowledge_base', 'kb_category', 'workflow_state', 'valid_to', 'sys_view_count', 'rating', 'article_type', 'language'],
        user: 'author', date: 'published',
        state: { field: 'workflow_state', open: ['draft', 'review', 'published'], closed: 'retired' },
        verbs: ['publish', 'retire', 'review', 'translate'],
      },
      {
        noun: 'KnowledgeBase', plural: 'KnowledgeBases', short: 'kbBase', table: 'kb_knowledge_base',
        fields: ['title', 'kb_managers', 'active', 'description', 'kb_version', 'publish_workflow'],
        user: 'owner', date: 'sys_updated_on',
        verbs: ['archive', 'publish'],
      },
      {
        noun: 'Feedback', plural: 'FeedbackEntries', short: 'fb', table: 'kb_feedback',
        fields: ['article', 'rating', 'comments', 'useful', 'flagged', 'resolved'],
        user: 'user', date: 'sys_created_on',
        verbs: ['resolve', 'flag', 'dismiss'],
      },
      {
        noun: 'KBCategory', plural: 'KBCategories', short: 'cat', table: 'kb_category',
        fields: ['label', 'parent_id', 'kb_knowledge_base', 'active', 'full_category'],
        user: 'sys_created_by', date: 'sys_updated_on',
        verbs: ['move', 'retire'],
      },
    ],
    concepts: ['Feedback', 'Review', 'Publishing', 'Retirement', 'Search', 'Rating', 'Translation', 'Version', 'Relevance', 'Citation'],
    qualifiers: ['Internal', 'External', 'FAQ', 'HowTo', 'Archived', 'Bulk', 'Legacy', 'Guided', 'Portal'],
    roles: ['knowledge', 'knowledge_admin', 'knowledge_manager'],
    events: ['kb.article.published', 'kb.feedback.created', 'kb.article.expiring'],
    properties: ['glide.knowledge.search.max', 'kb.review.period_days'],
  },
  {
    key: 'facilities',
    label: 'Facilities',
    plugin: 'com.snc.facilities',
    apps: ['fm', 'wsd', 'space'],
    entities: [
      {
        noun: 'FacilitiesRequest', plural: 'FacilitiesRequests', short: 'fac', table: 'facilities_request',
        fields: ['location', 'short_description', 'priority', 'facilities_request_type', 'room', 'floor', 'due_date'],
        user: 'requested_for', group: 'assignment_group', date: 'opened_at', state: OPEN_TASK,
        verbs: ['close', 'dispatch', 'cancel'],
      },
      {
        noun: 'Location', plural: 'Locations', short: 'loc', table: 'cmn_location',
        fields: ['name', 'street', 'city', 'state', 'country', 'parent', 'latitude', 'longitude', 'time_zone'],
        user: 'contact', date: 'sys_updated_on',
        verbs: ['geocode', 'merge', 'retire'],
      },
      {
        noun: 'Space', plural: 'Spaces', short: 'space', table: 'fm_space',
        fields: ['name', 'floor', 'building', 'capacity', 'reservable', 'space_type', 'area'],
        user: 'occupant', date: 'sys_updated_on',
        verbs: ['reserve', 'release', 'allocate'],
      },
    ],
    concepts: ['Reservation', 'Move', 'Occupancy', 'Maintenance', 'FloorPlan', 'Capacity', 'Visitor', 'Workplace', 'Cleaning'],
    qualifiers: ['Campus', 'Building', 'Desk', 'Parking', 'Visitor', 'Bulk', 'Legacy', 'Hybrid'],
    roles: ['facilities_staff', 'facilities_admin', 'workplace_manager'],
    events: ['facilities.request.dispatched', 'space.reserved', 'move.completed'],
    properties: ['facilities.reservation.max_days', 'facilities.default.campus'],
  },
  {
    key: 'csm',
    label: 'Customer Service',
    plugin: 'com.sn_customerservice',
    apps: ['csm', 'cs', 'support'],
    entities: [
      {
        noun: 'Case', plural: 'Cases', short: 'csCase', table: 'sn_customerservice_case',
        fields: ['account', 'contact', 'product', 'priority', 'short_description', 'channel', 'resolution_code', 'asset', 'entitlement'],
        user: 'assigned_to', group: 'assignment_group', date: 'opened_at',
        state: { field: 'state', open: ['1', '10', '18'], closed: '3' },
        verbs: ['resolve', 'close', 'escalate', 'reopen'],
      },
      {
        noun: 'Account', plural: 'Accounts', short: 'acct', table: 'customer_account',
        fields: ['name', 'number', 'customer', 'partner', 'primary_contact', 'account_code', 'industry'],
        user: 'account_manager', date: 'sys_updated_on',
        verbs: ['merge', 'deactivate', 'update'],
      },
      {
        noun: 'Contact', plural: 'Contacts', short: 'contact', table: 'customer_contact',
        fields: ['name', 'account', 'email', 'phone', 'user_name', 'preferred_language'],
        user: 'sys_created_by', date: 'sys_updated_on',
        verbs: ['invite', 'deactivate', 'merge'],
      },
      {
        noun: 'Entitlement', plural: 'Entitlements', short: 'ent', table: 'service_entitlement',
        fields: ['account', 'product', 'start_date', 'end_date', 'per_unit', 'total_units', 'remaining_units', 'channel'],
        user: 'sys_created_by', date: 'end_date',
        verbs: ['consume', 'renew', 'expire'],
      },
    ],
    concepts: ['Entitlement', 'Escalation', 'Survey', 'Channel', 'Satisfaction', 'Milestone', 'Partner', 'Portal', 'Warranty'],
    qualifiers: ['B2B', 'B2C', 'Partner', 'Premium', 'Consumer', 'Bulk', 'Legacy', 'Field'],
    roles: ['sn_customerservice_agent', 'sn_customerservice_manager', 'customer_admin'],
    events: ['csm.case.escalated', 'csm.entitlement.exhausted', 'csm.survey.sent'],
    properties: ['csm.case.autoclose_days', 'csm.entitlement.warning_units'],
  },
];

/** Role suffixes of Script Include names (`IncidentUtils`, `HRCaseValidator`). */
export const SUFFIXES: readonly string[] = [
  'Utils', 'Helper', 'Service', 'Manager', 'API', 'Validator', 'Calculator', 'Builder', 'Processor', 'Handler', 'Client', 'DAO', 'Engine', 'Util',
];

/** Suffixes of client-callable AJAX processors. */
export const AJAX_SUFFIXES: readonly string[] = ['Ajax', 'AjaxUtils', 'Ajax', 'AJAX', 'ClientUtils', 'AjaxHelper'];

export const VENDORS: readonly string[] = [
  'acme', 'globex', 'initech', 'umbrella', 'stark', 'wayne', 'hooli', 'vandelay', 'soylent', 'tyrell', 'cyberdyne', 'wonka',
  'oscorp', 'aperture', 'contoso', 'fabrikam', 'northwind', 'tailspin', 'adatum', 'litware', 'wingtip', 'proseware', 'zenith', 'nimbus',
];

/** Tables any script may touch whatever its domain: the noise every real script carries. */
export const COMMON_TABLES: readonly { table: string; fields: readonly string[] }[] = [
  { table: 'sys_user', fields: ['user_name', 'email', 'manager', 'department', 'active', 'title', 'location'] },
  { table: 'sys_user_group', fields: ['name', 'manager', 'type', 'active', 'email'] },
  { table: 'cmn_department', fields: ['name', 'head', 'cost_center', 'company'] },
  { table: 'core_company', fields: ['name', 'vendor', 'customer', 'country'] },
  { table: 'sys_properties', fields: ['name', 'value', 'type'] },
  { table: 'sys_choice', fields: ['name', 'element', 'value', 'label', 'inactive'] },
  { table: 'cmn_schedule', fields: ['name', 'time_zone', 'type'] },
];

/** Splits a CamelCase name into words: `HRCaseSLAUtils` -> `HR Case SLA Utils`. */
export function splitCamel(name: string): string[] {
  return name.match(/[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+/g) ?? [name];
}

/** Lowercase words of a CamelCase name, keeping acronyms as they are (`SLA`). */
export function camelWords(name: string): string {
  return splitCamel(name)
    .map((w) => (w.length > 1 && w === w.toUpperCase() ? w : w.toLowerCase()))
    .join(' ');
}

/** `opened_at` -> `OpenedAt`; dotted fields keep their last part. */
export function fieldToCamel(field: string): string {
  const last = field.split('.').pop() ?? field;
  return last
    .split('_')
    .filter((p) => p.length > 0)
    .map((p) => p[0].toUpperCase() + p.slice(1))
    .join('');
}

/** `opened_at` -> `openedAt`, for variable names. */
export function fieldToVar(field: string): string {
  const c = fieldToCamel(field);
  return c.length > 0 ? c[0].toLowerCase() + c.slice(1) : 'value';
}
