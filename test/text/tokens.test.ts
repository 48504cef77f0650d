import * as assert from 'node:assert';
import { splitIdentifier, stem, tokenize, termCounts } from '../../server/src/text/tokens';

describe('text/tokens', () => {
  describe('splitIdentifier', () => {
    it('splits camelCase and PascalCase', () => {
      assert.deepStrictEqual(splitIdentifier('getManagerForUser'), ['get', 'manager', 'for', 'user']);
      assert.deepStrictEqual(splitIdentifier('GlideRecord'), ['glide', 'record']);
    });

    it('keeps acronyms together and splits where the next word starts', () => {
      assert.deepStrictEqual(splitIdentifier('HRAjaxUtils'), ['hr', 'ajax', 'utils']);
      assert.deepStrictEqual(splitIdentifier('XMLHttpRequest'), ['xml', 'http', 'request']);
      assert.deepStrictEqual(splitIdentifier('getUserIDs'), ['get', 'user', 'ids']);
      assert.deepStrictEqual(splitIdentifier('ABC'), ['abc']);
    });

    it('splits snake_case, $ and dotted names', () => {
      assert.deepStrictEqual(splitIdentifier('sys_user_group'), ['sys', 'user', 'group']);
      assert.deepStrictEqual(splitIdentifier('__proto__'), ['proto']);
      assert.deepStrictEqual(splitIdentifier('$scope'), ['scope']);
      assert.deepStrictEqual(splitIdentifier('x_acme_hr.HRAjaxUtils'), ['x', 'acme', 'hr', 'hr', 'ajax', 'utils']);
    });

    it('separates digits from letters', () => {
      assert.deepStrictEqual(splitIdentifier('sha256Hash'), ['sha', '256', 'hash']);
      assert.deepStrictEqual(splitIdentifier('utf8Encode'), ['utf', '8', 'encode']);
    });

    it('handles Unicode letters and empty input', () => {
      assert.deepStrictEqual(splitIdentifier('ÜberProcessor'), ['über', 'processor']);
      assert.deepStrictEqual(splitIdentifier('cafétéria_Größe'), ['cafétéria', 'größe']);
      assert.deepStrictEqual(splitIdentifier(''), []);
      assert.deepStrictEqual(splitIdentifier('__$$__'), []);
    });
  });

  describe('stem', () => {
    it('folds plural, -ing and -ed forms to one stem', () => {
      for (const family of [
        ['record', 'records', 'recording', 'recorded'],
        ['update', 'updates', 'updated', 'updating'],
        ['query', 'queries'],
        ['submit', 'submitted', 'submitting'],
        ['get', 'getting'],
      ]) {
        const stems = new Set(family.map(stem));
        assert.strictEqual(stems.size, 1, `${family.join(',')} -> ${[...stems].join(',')}`);
      }
    });

    it('leaves short words, -ss/-us/-is words and non-ASCII alone', () => {
      for (const w of ['gs', 'sys', 'class', 'status', 'analysis', 'string', 'größe', 'added', 'called']) {
        assert.strictEqual(stem(w), w === 'added' ? 'add' : w === 'called' ? 'call' : w);
      }
    });
  });

  describe('tokenize', () => {
    it('emits identifier parts and the whole identifier, and string contents', () => {
      const tokens = tokenize("var utils = new IncidentUtils(); gr.addQuery('assigned_to', 'incident');");
      for (const t of ['incidentutils', 'incident', 'util', 'add', 'query', 'addquery', 'assigned_to', 'assign']) {
        assert.ok(tokens.includes(t), `missing ${t} in ${tokens.join(' ')}`);
      }
    });

    it('drops keywords, common code noise, English function words and number literals', () => {
      const tokens = tokenize('if (x === null) { return this.value; } else { for (var i = 0; i < 100; i++) new Foo(true); } // the value of it');
      for (const t of ['if', 'null', 'return', 'this', 'else', 'for', 'var', 'new', 'true', 'the', 'of', 'it', '100', 'x', 'i']) {
        assert.ok(!tokens.includes(t), `kept ${t}`);
      }
      assert.ok(tokens.includes('valu'));
      assert.ok(tokens.includes('foo'));
    });

    it('keeps the whole identifier even when a part is a stop word', () => {
      const tokens = tokenize('newRecord');
      assert.deepStrictEqual(tokens, ['record', 'newrecord']);
    });

    it('reads prose in comments and descriptions', () => {
      assert.deepStrictEqual(tokenize('Returns the managers of users'), ['manager', 'user']);
    });

    it('honours options', () => {
      assert.deepStrictEqual(tokenize('getRecords', { stem: false, keepWhole: false }), ['get', 'records']);
      assert.deepStrictEqual(tokenize('if x', { stopWords: new Set(), minLength: 1 }), ['if', 'x']);
    });

    it('returns nothing for empty or symbol-only input', () => {
      assert.deepStrictEqual(tokenize(''), []);
      assert.deepStrictEqual(tokenize('(){}[];,.+-*/ 🙂 \n\t'), []);
    });

    it('drops absurdly long words but still splits their parts', () => {
      const blob = 'a'.repeat(5000);
      assert.deepStrictEqual(tokenize(blob), []);
      assert.deepStrictEqual(tokenize('getRecord' + 'X'.repeat(100)), ['get', 'record']);
    });

    it('is linear on a 2 MB minified line', () => {
      const unit = "a.getValue('short_description');b=new GlideRecord('incident');";
      const small = unit.repeat(1_000);
      const big = unit.repeat(32_000); // ~2 MB
      const t0 = process.hrtime.bigint();
      const smallTokens = tokenize(small);
      const t1 = process.hrtime.bigint();
      const bigTokens = tokenize(big);
      const t2 = process.hrtime.bigint();
      assert.strictEqual(bigTokens.length, smallTokens.length * 32);
      const perToken = Number(t2 - t1) / bigTokens.length;
      // Generous bounds: a slow CI core, but no quadratic blow-up.
      assert.ok(perToken < 2_000, `${perToken.toFixed(0)} ns per token`);
      assert.ok(Number(t2 - t1) < 40 * Number(t1 - t0) + 200e6, 'grows faster than linearly');
    });

    it('is stable: the same text gives the same tokens', () => {
      const text = 'function getManager(userId) { return new HRUtils().managerOf(userId); }';
      assert.deepStrictEqual(tokenize(text), tokenize(text));
    });
  });

  it('termCounts counts repeats', () => {
    assert.deepStrictEqual([...termCounts(['a', 'b', 'a'])], [['a', 2], ['b', 1]]);
  });
});
