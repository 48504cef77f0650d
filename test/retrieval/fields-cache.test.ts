import * as assert from 'node:assert';
import { ApiFields } from '../../server/src/index/api-documents';
import { FieldsCache } from '../../server/src/retrieval/retrieval-index';

describe('retrieval/FieldsCache', () => {
  it('keeps the most recently read documents, computes the others again, and forgets a removed one', () => {
    const cache = new FieldsCache(2);
    const computed: string[] = [];
    const fields = (name: string) => () => {
      computed.push(name);
      return { name: [name] } as unknown as ApiFields;
    };
    const a = {} as never;
    const b = {} as never;
    const c = {} as never;
    cache.get(a, fields('a'));
    cache.get(b, fields('b'));
    cache.get(a, fields('a')); // a is now the most recent
    cache.get(c, fields('c')); // evicts b, the least recent
    cache.get(a, fields('a'));
    cache.get(b, fields('b'));
    assert.deepStrictEqual(computed, ['a', 'b', 'c', 'b']);
    assert.strictEqual(cache.size, 2);
    cache.delete(b);
    assert.strictEqual(cache.size, 1);
  });
});
