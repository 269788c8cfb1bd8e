import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { countTokens } from '../../../../src/model/corpus/count-tokens.js';
import { encodeCorpus } from '../../../../src/model/corpus/encode-corpus.js';
import { readCorpus } from '../../../../src/model/corpus/read-corpus.js';
import { EOS_ID, UNK_ID } from '../../../../src/model/text/special-tokens.js';
import { Vocabulary } from '../../../../src/model/text/vocabulary.js';

describe('encodeCorpus', () => {
  it('writes each message as its ids followed by EOS_ID', async () => {
    const vocab = Vocabulary.build(await countTokens(['hello world', 'bye']), { maxSize: 100 });
    const ids = await encodeCorpus(['hello world', { text: 'bye now' }], vocab);
    expect(Array.from(ids)).toEqual([
      vocab.idOf('hello'),
      vocab.idOf('world'),
      EOS_ID,
      vocab.idOf('bye'),
      UNK_ID,
      EOS_ID,
    ]);
    expect(ids).toBeInstanceOf(Int32Array);
  });

  it('grows its buffer past the first allocation', async () => {
    const vocab = Vocabulary.build(new Map([['a', 1]]), { maxSize: 100 });
    const messages = Array.from({ length: 30_000 }, () => 'a a a');
    const ids = await encodeCorpus(messages, vocab);
    expect(ids.length).toBe(120_000);
    expect(ids[119_999]).toBe(EOS_ID);
    expect(ids[119_998]).toBe(vocab.idOf('a'));
  });

  it('encodes a streamed corpus file', async () => {
    const path = join(import.meta.dirname, '../../../fixtures/corpus/dialogues.txt');
    const vocab = Vocabulary.build(await countTokens(readCorpus(path, 'lines')), { maxSize: 100 });
    const ids = await encodeCorpus(readCorpus(path, 'lines'), vocab);
    expect(Array.from(ids).filter((id) => id === EOS_ID)).toHaveLength(5);
    expect(Array.from(ids)).not.toContain(UNK_ID);
  });
});
