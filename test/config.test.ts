import * as assert from 'node:assert/strict';
import { defaultSettings, resolveSettings, SETTINGS } from '../server/src/config';

describe('config', () => {
  it('gives every setting a default and a description', () => {
    for (const [key, s] of Object.entries(SETTINGS)) {
      assert.ok(s.description.length > 10, key);
      assert.notEqual(s.default, undefined, key);
    }
  });

  it('fills defaults when the client has no settings', () => {
    assert.deepEqual(resolveSettings(undefined).settings, defaultSettings());
    assert.deepEqual(resolveSettings(null).settings, defaultSettings());
  });

  it('reads nested and flat keys', () => {
    const nested = resolveSettings({ completion: { maxItems: 12 } }).settings;
    const flat = resolveSettings({ 'completion.maxItems': 12 }).settings;
    assert.equal(nested['completion.maxItems'], 12);
    assert.equal(flat['completion.maxItems'], 12);
  });

  it('rejects values of the wrong type or out of range, keeping the default and saying why', () => {
    const { settings, rejected } = resolveSettings({ completion: { maxItems: 'many', latencyBudgetMs: -1 }, index: { watch: 'sometimes' } });
    assert.equal(settings['completion.maxItems'], 40);
    assert.equal(settings['index.watch'], 'auto');
    assert.equal(rejected.length, 3);
    assert.ok(rejected.some((r) => /deepcodeseek\.completion\.maxItems/.test(r)));
  });

  it('bounds every size and time setting, so a hostile value cannot take the machine', () => {
    for (const [key, spec] of Object.entries(SETTINGS)) {
      if (spec.type === 'number') assert.ok(spec.maximum !== undefined, `${key} has no maximum`);
    }
    const { settings, rejected } = resolveSettings({ index: { maxFileSize: 1e15 }, completion: { latencyBudgetMs: 1e9 } });
    assert.equal(settings['index.maxFileSize'], SETTINGS['index.maxFileSize'].default);
    assert.equal(settings['completion.latencyBudgetMs'], SETTINGS['completion.latencyBudgetMs'].default);
    assert.equal(rejected.length, 2);
  });

  it('hands out independent copies of array defaults', () => {
    const a = defaultSettings();
    a['index.exclude'].push('mine');
    assert.ok(!defaultSettings()['index.exclude'].includes('mine'));
  });
});
