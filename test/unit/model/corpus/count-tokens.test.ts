import { describe, expect, it } from 'vitest';
import { countTokens } from '../../../../src/model/corpus/count-tokens.js';

describe('countTokens', () => {
  it('counts the tokens of strings and corpus messages', async () => {
    const counts = await countTokens(['the cat', { text: 'The dog, the end' }]);
    expect(counts.get('the')).toBe(3);
    expect(counts.get(',')).toBe(1);
    expect(counts.get('cat')).toBe(1);
  });

  it('reads async iterables and adds to given counts', async () => {
    async function* messages(): AsyncGenerator<string> {
      yield 'a b';
      yield 'a';
    }
    const counts = await countTokens(messages(), new Map([['a', 10]]));
    expect(counts.get('a')).toBe(12);
    expect(counts.get('b')).toBe(1);
  });
});
