import { describe, expect, it } from 'vitest';
import { CopyNgramSet, hashIds } from '../../../../src/model/sampling/copy-ngram-set.js';
import { CopyGuard, writtenIds } from '../../../../src/model/sampling/copy-guard.js';
import { Vocabulary } from '../../../../src/model/text/vocabulary.js';
import { PLACEHOLDER_TOKENS, SPECIAL_TOKENS } from '../../../../src/model/text/special-tokens.js';

const UNK = 1;
const EOS = 2;

describe('CopyNgramSet', () => {
  // Two messages: 10 11 12 13 and 10 11 12 14 15, then one with <unk>.
  const stream = [10, 11, 12, 13, EOS, 10, 11, 12, 14, 15, EOS, 20, UNK, 21, 22, EOS];

  it('refuses every id that completes a stored n-gram after the last n - 1 ids', () => {
    const set = CopyNgramSet.fromIds(stream, 4);
    expect([...set.refused([5, 10, 11, 12])].sort()).toEqual([13, 14]);
    expect(set.refused([11, 12, 14])).toEqual([15]);
    expect(set.refused([10, 11, 13])).toEqual([]);
    // Fewer than n - 1 ids before the end: nothing is refused.
    expect(set.refused([11, 12])).toEqual([]);
    expect(set.refused([10, 11, 12, 99], 2)).toEqual([]);
    expect([...set.refused([10, 11, 12, 99], 3)].sort()).toEqual([13, 14]);
    expect(set.refused([9, 10, 11, 12, 99], 4)).toEqual([13, 14]);
  });

  it('holds each distinct n-gram once, none across <eos> nor with <unk>', () => {
    const set = CopyNgramSet.fromIds([...stream, ...stream], 4);
    // 10 11 12 13 | 10 11 12 14, 11 12 14 15; none ends after the <eos> or around the <unk>.
    expect(set.size).toBe(3);
    expect(set.has([10, 11, 12, 13])).toBe(true);
    expect(set.has([12, 13, 2, 10])).toBe(false);
    expect(set.refused([EOS, 10, 11])).toEqual([]);
    expect(set.refused([UNK, 21, 22])).toEqual([]);
    expect(CopyNgramSet.fromIds([20, UNK, 21, 22, 23], 3).refused([21, 22])).toEqual([23]);
  });

  it('reads back what it wrote: 8 bytes per n-gram', () => {
    const set = CopyNgramSet.fromIds(stream, 3);
    const bytes = set.toBytes();
    expect(bytes.byteLength).toBe(set.size * 8);
    const back = CopyNgramSet.fromBytes(bytes, 3);
    expect(back.size).toBe(set.size);
    for (const end of [2, 3, 4, 7, 8, 9]) expect(back.refused(stream, end)).toEqual(set.refused(stream, end));
    expect(() => CopyNgramSet.fromBytes(new Uint8Array(12), 3)).toThrow(/pairs/);
    const unsorted = new Uint32Array([5, 1, 7, 7]);
    expect(() => CopyNgramSet.fromBytes(new Uint8Array(unsorted.buffer), 3)).toThrow(/sorted/);
  });

  it('hashes order and length, not only the set of ids', () => {
    const a = hashIds([1, 2, 3, 4, 5], 0, 5);
    expect(hashIds([5, 4, 3, 2, 1], 0, 5)).not.toBe(a);
    expect(hashIds([1, 2, 3, 4, 5, 0], 0, 6)).not.toBe(a);
    expect(hashIds([9, 1, 2, 3, 4, 5], 1, 5)).toBe(a);
    const hashes = new Set<number>();
    for (let i = 0; i < 20_000; i++) hashes.add(hashIds([i % 100, Math.floor(i / 100), 7, 8, 9], 0, 5));
    expect(hashes.size).toBe(20_000);
  });

  it('refuses n below 2', () => {
    expect(() => CopyNgramSet.fromIds(stream, 1)).toThrow(RangeError);
  });
});

describe('CopyGuard', () => {
  const words = ['[', 'link', ']', 'see', 'it', 'now', 'a', 'b', 'c', 'd'];
  const vocab = Vocabulary.fromJSON({ version: 1, tokens: [...SPECIAL_TOKENS, ...PLACEHOLDER_TOKENS, ...words] });
  const id = (token: string) => vocab.idOf(token);
  const url = id('<url>');
  // The message as a reader reads it: "a b c d see [ link ] now".
  const message = 'a b c d see https://example.com/x now';
  const guard = new CopyGuard(CopyNgramSet.fromIds([...writtenIds(message, vocab), 2], 6), vocab);

  it('stores what a message reads as: a link is "[ link ]"', () => {
    expect(writtenIds(message, vocab).map((i) => vocab.tokenOf(i))).toEqual('a b c d see [ link ] now'.split(' '));
    expect(guard.ngrams.size).toBe(4);
  });

  it('refuses a placeholder that would complete a 6-gram at any of the tokens it reads as', () => {
    // "a b c d see" + "[": the link's first token completes the message's first 6-gram.
    expect(guard.refused(guard.start(['a', 'b', 'c', 'd', 'see'].map(id)))).toEqual(
      expect.arrayContaining([id('['), url]),
    );
    // "x b c d see" + "[ link": its second token completes "b c d see [ link".
    expect(guard.refused(guard.start(['it', 'b', 'c', 'd', 'see'].map(id)))).toEqual([url]);
    // "c d see [ link ]" ends at its third.
    expect(guard.refused(guard.start(['it', 'it', 'c', 'd', 'see'].map(id)))).toEqual([url]);
    expect(guard.refused(guard.start(['it', 'it', 'it', 'd', 'see'].map(id)))).toEqual([]);
    // After the link, written out, "now" completes "d see [ link ] now".
    const history = guard.start(['d', 'see'].map(id));
    guard.push(history, url);
    expect(history.map((i) => vocab.tokenOf(i))).toEqual(['d', 'see', '[', 'link', ']']);
    expect(guard.refused(history)).toEqual([id('now')]);
  });
});
