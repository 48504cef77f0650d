import * as assert from 'node:assert/strict';
import { ApiIndex, IndexChange } from '../../server/src/index/api-index';
import { callSite, fileEntry, scriptInclude } from '../helpers/entries';

describe('index/api-index', () => {
  it('finds Script Includes by name and api name, and forgets them when their file goes', () => {
    const index = new ApiIndex();
    index.setFile(fileEntry('a.js', { scriptIncludes: [scriptInclude('HRUtils', { scope: 'x_acme_hr' })] }));
    assert.equal(index.named('HRUtils').length, 1);
    assert.equal(index.withApiName('x_acme_hr.HRUtils')?.name, 'HRUtils');
    index.removeFile('a.js');
    assert.equal(index.named('HRUtils').length, 0);
    assert.equal(index.withApiName('x_acme_hr.HRUtils'), undefined);
  });

  it('replacing a file replaces only its own entries', () => {
    const index = new ApiIndex();
    index.setFiles([
      fileEntry('a.js', { scriptIncludes: [scriptInclude('A')] }),
      fileEntry('b.js', { scriptIncludes: [scriptInclude('B')] }),
    ]);
    index.setFile(fileEntry('a.js', { scriptIncludes: [scriptInclude('A2')] }));
    assert.deepEqual([...index.scriptIncludes()].map((s) => s.name).sort(), ['A2', 'B']);
  });

  it('resolves a bare name to the caller scope first, then global', () => {
    const index = new ApiIndex();
    index.setFiles([
      fileEntry('g.js', { scriptIncludes: [scriptInclude('Util', { scope: 'global' })] }),
      fileEntry('x.js', { scriptIncludes: [scriptInclude('Util', { scope: 'x_app' })] }),
    ]);
    assert.equal(index.resolve('Util', undefined, 'x_app')?.scope, 'x_app');
    assert.equal(index.resolve('Util', undefined, 'x_other')?.scope, 'global');
    assert.equal(index.resolve('Util', 'x_app', 'global')?.scope, 'x_app');
    assert.equal(index.resolve('Nope', undefined, 'global'), undefined);
  });

  it('counts call sites as usages only when their target resolves', () => {
    const index = new ApiIndex();
    const util = scriptInclude('Util');
    index.setFiles([
      fileEntry('util.js', { scriptIncludes: [util] }),
      fileEntry('br.js', { callSites: [callSite('Util'), callSite('GlideRecordish')] }),
    ]);
    const si = index.named('Util')[0];
    assert.equal(index.usagesOf(si).length, 1);
    assert.equal(index.targetOf(callSite('GlideRecordish')), undefined);
  });

  it('hides a plain file while a Fluent record includes it, whichever came first', () => {
    const index = new ApiIndex();
    index.setFile(fileEntry('src/server/CIUtils.js', { scriptIncludes: [scriptInclude('CIUtils', { layout: 'plain' })] }));
    index.setFile(
      fileEntry('src/fluent/si.now.ts', {
        layout: 'fluent',
        includes: ['src/server/CIUtils.js'],
        scriptIncludes: [scriptInclude('CIUtils', { layout: 'fluent', scope: 'x_cmdb', path: 'src/server/CIUtils.js' })],
      }),
    );
    const found = index.named('CIUtils');
    assert.equal(found.length, 1);
    assert.equal(found[0].layout, 'fluent');
    assert.deepEqual(index.claimantsOf('src/server/CIUtils.js'), ['src/fluent/si.now.ts']);
    index.removeFile('src/fluent/si.now.ts');
    assert.equal(index.named('CIUtils')[0].layout, 'plain');
  });

  it('bumps the generation and tells listeners which paths changed', () => {
    const index = new ApiIndex();
    const seen: string[][] = [];
    index.onDidChange((c) => seen.push(c.paths));
    const g0 = index.generation;
    index.setFile(fileEntry('a.js'));
    index.removeFile('a.js');
    index.removeFile('never-there.js');
    assert.equal(index.generation, g0 + 2);
    assert.deepEqual(seen, [['a.js'], ['a.js']]);
  });

  it('applies the access rule: other scopes need public, client code needs client-callable', () => {
    const priv = scriptInclude('P', { scope: 'x_a', access: 'package_private' });
    const ajax = scriptInclude('Ajax', { scope: 'x_a', access: 'public', clientCallable: true });
    assert.equal(ApiIndex.accessible(priv, 'x_a', 'server'), true);
    assert.equal(ApiIndex.accessible(priv, 'x_b', 'server'), false);
    assert.equal(ApiIndex.accessible(priv, 'x_a', 'client'), false);
    assert.equal(ApiIndex.accessible(ajax, 'x_b', 'client'), true);
  });
});

describe('index/api-index: what a change touches', () => {
  it('names the Script Includes and call targets of the entries before and after', () => {
    const index = new ApiIndex();
    const seen: IndexChange[] = [];
    index.onDidChange((c) => seen.push(c));
    index.setFile(fileEntry('a.js', { scriptIncludes: [scriptInclude('Alpha')], callSites: [callSite('Beta')] }));
    index.setFile(fileEntry('a.js', { callSites: [callSite('Gamma')] }));
    index.setFile(fileEntry('r.js', { callSites: [callSite('Delta')] }));
    index.removeFile('r.js');
    assert.deepEqual(seen.map((c) => [[...c.names].sort(), c.scriptIncludes]), [
      [['Alpha', 'Beta'], true],
      [['Alpha', 'Beta', 'Gamma'], true],
      [['Delta'], false],
      [['Delta'], false],
    ]);
    assert.equal(index.scriptIncludeGeneration, 2);
    assert.equal(index.generation, 4);
  });
});
