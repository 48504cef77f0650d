import '@servicenow/sdk/global'
import { BusinessRule, ClientScript, Record } from '@servicenow/sdk/core'

BusinessRule({
    $id: Now.ID['br-ci-before-update'],
    name: 'Server CI site code and completeness',
    table: 'cmdb_ci_server',
    when: 'before',
    action: ['insert', 'update'],
    order: 200,
    script: Now.include('../server/ci-before-update.server.js'),
    active: true,
})

BusinessRule({
    $id: Now.ID['br-asset-retired'],
    name: 'Retire CI and reclaim licenses with asset',
    table: 'alm_hardware',
    when: 'after',
    action: ['update'],
    condition: "current.install_status.changesTo(7)",
    script: Now.include('../server/asset-retired.server.js'),
    active: true,
})

BusinessRule({
    $id: Now.ID['br-app-runs-on'],
    name: 'Relate application to its host',
    table: 'cmdb_ci_appl',
    when: 'after',
    action: ['insert', 'update'],
    script: Now.include('../server/app-runs-on.server.js'),
    active: true,
})

BusinessRule({
    $id: Now.ID['br-license-on-assign'],
    name: 'Allocate standard software seat on assignment',
    table: 'alm_hardware',
    when: 'async',
    action: ['update'],
    script: Now.include('../server/license-on-assign.server.js'),
    active: true,
})

ClientScript({
    $id: Now.ID['cs-asset-assigned-to'],
    name: 'Show assets already held by user',
    table: 'alm_hardware',
    type: 'onChange',
    field: 'assigned_to',
    uiType: 'all',
    script: Now.include('../client/asset-assigned-to.client.js'),
    active: true,
})

// Weekly CMDB health report, declared as a plain sysauto_script record.
Record({
    $id: Now.ID['job-cmdb-health'],
    table: 'sysauto_script',
    data: {
        name: 'CMDB - weekly health report',
        run_type: 'weekly',
        run_dayofweek: '1',
        run_time: '1970-01-01 05:00:00',
        script: Now.include('../server/cmdb-health-job.server.js'),
        active: true,
    },
})
