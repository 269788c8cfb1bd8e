import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { countTokens } from '../../../src/model/count-tokens.js';
import { encodeCorpusWithNewVocabulary } from '../../../src/model/encode-corpus-with-new-vocabulary.js';
import { encodeCorpus } from '../../../src/model/encode-corpus.js';
import { readCorpus } from '../../../src/model/read-corpus.js';
import { EOS_ID, UNK_ID } from '../../../src/model/special-tokens.js';
import { Vocabulary } from '../../../src/model/vocabulary.js';

const fixtures = join(import.meta.dirname, '../../fixtures/corpus');

describe('encodeCorpusWithNewVocabulary', () => {
  it('gives the same vocabulary and ids as counting, building and encoding in two passes', async () => {
    for (const [file, format] of [
      ['dialogues.txt', 'lines'],
      ['messages.jsonl', 'jsonl'],
    ] as const) {
      const path = join(fixtures, file);
      const options = { maxSize: 14 };
      const once = await encodeCorpusWithNewVocabulary(readCorpus(path, format), options);
      const counts = await countTokens(readCorpus(path, format));
      const vocab = Vocabulary.build(counts, options);
      expect(once.vocab.toJSON()).toEqual(vocab.toJSON());
      expect(once.ids).toEqual(await encodeCorpus(readCorpus(path, format), vocab));
      expect(once.counts).toEqual(counts);
    }
  });

  it('counts messages, ends each with EOS_ID and maps words left out of the vocabulary to UNK_ID', async () => {
    const { ids, messages, vocab } = await encodeCorpusWithNewVocabulary(['a a b', 'a c'], { maxSize: 11 });
    expect(messages).toBe(2);
    expect(vocab.toJSON().tokens.slice(10)).toEqual(['a']);
    const a = vocab.idOf('a');
    expect(Array.from(ids)).toEqual([a, a, UNK_ID, EOS_ID, a, UNK_ID, EOS_ID]);
  });

  it('grows past its first buffer', async () => {
    const { ids } = await encodeCorpusWithNewVocabulary(
      Array.from({ length: 30_000 }, () => 'x y z'),
      { maxSize: 100 },
    );
    expect(ids.length).toBe(120_000);
    expect(ids[119_999]).toBe(EOS_ID);
  });
});
