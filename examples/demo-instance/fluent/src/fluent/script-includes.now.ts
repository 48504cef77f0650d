import '@servicenow/sdk/global'
import { ScriptInclude, Record } from '@servicenow/sdk/core'

// Script Includes of the Acme CMDB scope. Bodies live in ../server so they can be
// linted and unit-tested as plain JavaScript.

ScriptInclude({
    $id: Now.ID['ci-utils'],
    name: 'CIUtils',
    apiName: 'x_acme_cmdb.CIUtils',
    script: Now.include('../server/CIUtils.server.js'),
    description: 'Configuration item lookups, operational status and impacted services.',
    accessibleFrom: 'public',
    clientCallable: false,
    active: true,
})

ScriptInclude({
    $id: Now.ID['server-ci-utils'],
    name: 'ServerCIUtils',
    apiName: 'x_acme_cmdb.ServerCIUtils',
    script: Now.include('../server/ServerCIUtils.server.js'),
    description: 'Server CIs: discovery freshness and capacity per application.',
    accessibleFrom: 'public',
    clientCallable: false,
    active: true,
})

ScriptInclude({
    $id: Now.ID['asset-utils'],
    name: 'AssetUtils',
    apiName: 'x_acme_cmdb.AssetUtils',
    script: Now.include('../server/AssetUtils.server.js'),
    description: 'Hardware asset lifecycle: assign, reserve for new hires, collect, retire.',
    accessibleFrom: 'public',
    clientCallable: false,
    active: true,
})

// Client-callable: declared as a plain record because it predates the ScriptInclude API in this repo.
Record({
    $id: Now.ID['asset-ajax'],
    table: 'sys_script_include',
    data: {
        name: 'AssetAjax',
        api_name: 'x_acme_cmdb.AssetAjax',
        script: Now.include('../server/AssetAjax.server.js'),
        description: 'GlideAjax lookups for asset and CI forms.',
        access: 'public',
        client_callable: true,
        active: true,
    },
})

ScriptInclude({
    $id: Now.ID['cmdb-health-utils'],
    name: 'CMDBHealthUtils',
    apiName: 'x_acme_cmdb.CMDBHealthUtils',
    script: Now.include('../server/CMDBHealthUtils.server.js'),
    description: 'Duplicate serial numbers, stale CIs and completeness scores.',
    accessibleFrom: 'package_private',
    clientCallable: false,
    active: true,
})

ScriptInclude({
    $id: Now.ID['software-license-utils'],
    name: 'SoftwareLicenseUtils',
    apiName: 'x_acme_cmdb.SoftwareLicenseUtils',
    script: Now.include('../server/SoftwareLicenseUtils.server.js'),
    description: 'Software entitlement seats: availability, allocation and reclaim.',
    accessibleFrom: 'public',
    clientCallable: false,
    active: true,
})

ScriptInclude({
    $id: Now.ID['cmdb-location-utils'],
    name: 'CMDBLocationUtils',
    apiName: 'x_acme_cmdb.CMDBLocationUtils',
    script: Now.include('../server/CMDBLocationUtils.server.js'),
    description: 'Site codes, regions and CIs per location.',
    accessibleFrom: 'public',
    clientCallable: false,
    active: true,
})

ScriptInclude({
    $id: Now.ID['ci-relationship-utils'],
    name: 'CIRelationshipUtils',
    apiName: 'x_acme_cmdb.CIRelationshipUtils',
    script: Now.include('../server/CIRelationshipUtils.server.js'),
    description: 'Creates and walks cmdb_rel_ci relationships.',
    accessibleFrom: 'public',
    clientCallable: false,
    active: true,
})
