import { describe, expect, it } from 'vitest';
import {
  EOS_ID,
  PAD_ID,
  PLACEHOLDER_TOKENS,
  SPECIAL_TOKENS,
  UNK_ID,
} from '../../../../src/model/text/special-tokens.js';
import { Vocabulary } from '../../../../src/model/text/vocabulary.js';

const counts = new Map([
  ['the', 50],
  ['cat', 5],
  ['bat', 5],
  ['a', 40],
  ['zebra', 1],
  ['<user>', 7],
  ['<eos>', 99],
]);

describe('Vocabulary', () => {
  it('puts the specials at their fixed ids, then every placeholder', () => {
    const vocab = Vocabulary.build(counts, { maxSize: 100 });
    expect(vocab.tokenOf(PAD_ID)).toBe('<pad>');
    expect(vocab.tokenOf(UNK_ID)).toBe('<unk>');
    expect(vocab.tokenOf(EOS_ID)).toBe('<eos>');
    expect(vocab.toJSON().tokens.slice(0, 10)).toEqual([...SPECIAL_TOKENS, ...PLACEHOLDER_TOKENS]);
  });

  it('orders words by count, ties alphabetically, and counts each token once', () => {
    const vocab = Vocabulary.build(counts, { maxSize: 100 });
    expect(vocab.toJSON().tokens.slice(10)).toEqual(['the', 'a', 'bat', 'cat', 'zebra']);
    expect(vocab.size).toBe(15);
  });

  it('builds the same vocabulary whatever the order of the counts', () => {
    const reversed = new Map([...counts].reverse());
    expect(Vocabulary.build(reversed, { maxSize: 12 }).toJSON()).toEqual(
      Vocabulary.build(counts, { maxSize: 12 }).toJSON(),
    );
  });

  it('respects the size cap and the minimum count', () => {
    expect(Vocabulary.build(counts, { maxSize: 12 }).toJSON().tokens.slice(10)).toEqual(['the', 'a']);
    expect(Vocabulary.build(counts, { maxSize: 100, minCount: 5 }).toJSON().tokens.slice(10)).toEqual([
      'the', 'a', 'bat', 'cat',
    ]); // prettier-ignore
  });

  it('rejects a size cap smaller than the reserved tokens', () => {
    expect(() => Vocabulary.build(counts, { maxSize: 5 })).toThrow(/maxSize must be an integer >= 10/);
  });

  it('maps tokens to ids and back, unknown tokens to UNK_ID', () => {
    const vocab = Vocabulary.build(counts, { maxSize: 100 });
    expect(vocab.tokenOf(vocab.idOf('cat'))).toBe('cat');
    expect(vocab.idOf('dog')).toBe(UNK_ID);
    expect(vocab.has('cat')).toBe(true);
    expect(vocab.has('dog')).toBe(false);
    expect(Array.from(vocab.encode(['the', 'dog', '<eos>']))).toEqual([vocab.idOf('the'), UNK_ID, EOS_ID]);
  });

  it('throws a coded error for an id out of range', () => {
    const vocab = Vocabulary.build(counts, { maxSize: 100 });
    expect(() => vocab.tokenOf(vocab.size)).toThrow(expect.objectContaining({ code: 'TOKEN_ID_OUT_OF_RANGE' }));
    expect(() => vocab.tokenOf(-1)).toThrow(/outside/);
  });

  it('appends added tokens and keeps existing ids', () => {
    const vocab = Vocabulary.build(counts, { maxSize: 100 });
    const grown = vocab.withAddedTokens(['cat', 'dog', 'emu', 'dog']);
    expect(grown.size).toBe(vocab.size + 2);
    for (const token of vocab.toJSON().tokens) expect(grown.idOf(token)).toBe(vocab.idOf(token));
    expect(grown.idOf('dog')).toBe(vocab.size);
    expect(grown.idOf('emu')).toBe(vocab.size + 1);
    expect(vocab.has('dog')).toBe(false);
  });

  it('survives a JSON round trip', () => {
    const vocab = Vocabulary.build(counts, { maxSize: 100 }).withAddedTokens(['ünïcode', '👍']);
    const restored = Vocabulary.fromJSON(JSON.parse(JSON.stringify(vocab)));
    expect(restored.toJSON()).toEqual(vocab.toJSON());
    expect(restored.idOf('👍')).toBe(vocab.idOf('👍'));
  });

  it.each([
    ['null', null, /expected an object/],
    ['an array', [], /expected an object/],
    ['another version', { version: 2, tokens: [] }, /unsupported version 2/],
    ['tokens that are no array', { version: 1, tokens: 'abc' }, /tokens must be an array/],
    ['a token that is no string', { version: 1, tokens: ['<pad>', '<unk>', '<eos>', 3] }, /token 3 must be/],
    ['specials out of place', { version: 1, tokens: ['<unk>', '<pad>', '<eos>'] }, /token 0 must be <pad>/],
    ['a duplicate', { version: 1, tokens: ['<pad>', '<unk>', '<eos>', 'a', 'a'] }, /"a" appears twice/],
    ['missing placeholders', { version: 1, tokens: ['<pad>', '<unk>', '<eos>', 'a'] }, /missing placeholder <user>/],
  ])('fromJSON rejects %s with a clear message', (_name, json, message) => {
    expect(() => Vocabulary.fromJSON(json)).toThrow(message);
    expect(() => Vocabulary.fromJSON(json)).toThrow(expect.objectContaining({ code: 'VOCABULARY_INVALID' }));
  });
});
