import * as assert from 'node:assert/strict';
import { ApiIndex } from '../../server/src/index/api-index';
import { KnowledgeGraph, KnowledgeGraphCache, splitQualified } from '../../server/src/index/knowledge-graph';
import { callSite, fileEntry, method, scriptInclude } from '../helpers/entries';

function sample(): ApiIndex {
  const index = new ApiIndex();
  index.setFiles([
    fileEntry('base.js', {
      scriptIncludes: [scriptInclude('BaseTaskUtils', { scope: 'x_itsm', package: 'Acme ITSM', methods: [method('close'), method('assign')] })],
    }),
    fileEntry('inc.js', {
      scriptIncludes: [
        scriptInclude('IncidentUtils', {
          scope: 'x_itsm',
          package: 'Acme ITSM',
          parent: 'x_itsm.BaseTaskUtils',
          kind: 'extends-object',
          methods: [method('close'), method('escalate')],
          calls: ['UserLookup'],
        }),
      ],
    }),
    fileEntry('user.js', { scriptIncludes: [scriptInclude('UserLookup', { scope: 'global', access: 'public' })] }),
    fileEntry('old.js', { scriptIncludes: [scriptInclude('OldUtils', { scope: 'global', active: false })] }),
    fileEntry('hr.js', { scriptIncludes: [scriptInclude('HRPrivate', { scope: 'x_hr', access: 'package_private' })] }),
    fileEntry('ajax.js', { scriptIncludes: [scriptInclude('HRAjax', { scope: 'x_hr', clientCallable: true })] }),
  ]);
  return index;
}

describe('index/knowledge-graph', () => {
  it('groups Script Includes as package -> scope -> Script Include', () => {
    const g = KnowledgeGraph.build(sample());
    const itsm = g.packages.get('Acme ITSM');
    assert.ok(itsm);
    assert.deepEqual(itsm.scopes.get('x_itsm')?.scriptIncludes.map((s) => s.name).sort(), ['BaseTaskUtils', 'IncidentUtils']);
    assert.equal(g.summary().scopes, 3);
  });

  it('follows extends edges and lists inherited methods without overridden ones twice', () => {
    const index = sample();
    const g = KnowledgeGraph.build(index);
    const inc = index.named('IncidentUtils')[0];
    assert.equal(g.parentOf(inc)?.name, 'BaseTaskUtils');
    const methods = g.methodsOf(inc).map((m) => `${m.owner.name}.${m.method.name}`);
    assert.deepEqual(methods, ['IncidentUtils.close', 'IncidentUtils.escalate', 'BaseTaskUtils.assign']);
    assert.equal(g.childrenOf(index.named('BaseTaskUtils')[0])[0].name, 'IncidentUtils');
  });

  it('keeps call edges both ways', () => {
    const index = sample();
    const g = KnowledgeGraph.build(index);
    assert.deepEqual(g.calleesOf(index.named('IncidentUtils')[0]).map((s) => s.name), ['UserLookup']);
    assert.deepEqual(g.callersOf(index.named('UserLookup')[0]).map((s) => s.name), ['IncidentUtils']);
  });

  it('prunes inactive, other-scope private, and (for client code) non-client-callable Script Includes', () => {
    const g = KnowledgeGraph.build(sample());
    const server = g.prune('x_itsm', 'server');
    assert.ok(!server.kept.some((s) => s.name === 'OldUtils'));
    assert.ok(!server.kept.some((s) => s.name === 'HRPrivate'));
    assert.equal(server.inactive, 1);
    assert.equal(server.inaccessible, 1);
    assert.ok(g.prune('x_hr', 'server').kept.some((s) => s.name === 'HRPrivate'));
    assert.deepEqual(g.prune('x_itsm', 'client').kept.map((s) => s.name), ['HRAjax']);
  });

  it('survives an extends cycle', () => {
    const index = new ApiIndex();
    index.setFiles([
      fileEntry('a.js', { scriptIncludes: [scriptInclude('A', { parent: 'B' })] }),
      fileEntry('b.js', { scriptIncludes: [scriptInclude('B', { parent: 'A' })] }),
    ]);
    const g = KnowledgeGraph.build(index);
    assert.deepEqual(g.ancestorsOf(index.named('A')[0]).map((s) => s.name), ['B']);
  });

  it('is rebuilt only when the Script Includes change, not when a caller is edited', () => {
    const index = sample();
    const cache = new KnowledgeGraphCache(index);
    const first = cache.get();
    assert.equal(cache.get(), first);
    // A business rule saved: its calls change, no Script Include does.
    index.setFile(fileEntry('rules/close.js', { callSites: [callSite('IncidentUtils', { method: 'close' })] }));
    index.setFile(fileEntry('rules/close.js', { callSites: [callSite('UserLookup')] }));
    index.removeFile('rules/close.js');
    assert.equal(cache.get(), first);
    index.removeFile('old.js');
    const second = cache.get();
    assert.notEqual(second, first);
    assert.ok(!second.all.some((si) => si.name === 'OldUtils'));
    // A file that gains a Script Include counts too.
    index.setFile(fileEntry('rules/close.js', { scriptIncludes: [scriptInclude('CloseHelper', { scope: 'global' })] }));
    assert.ok(cache.get().all.some((si) => si.name === 'CloseHelper'));
  });

  it('splits qualified names at the last dot', () => {
    assert.deepEqual(splitQualified('x_acme.Base'), { target: 'Base', qualifier: 'x_acme' });
    assert.deepEqual(splitQualified('Base'), { target: 'Base' });
  });
});
