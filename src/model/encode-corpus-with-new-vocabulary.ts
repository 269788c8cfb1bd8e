import { IdBuffer } from './id-buffer.js';
import type { CorpusMessage } from './read-corpus.js';
import { EOS_ID } from './special-tokens.js';
import { tokenize } from './tokenize.js';
import { Vocabulary, type VocabularyBuildOptions } from './vocabulary.js';

export interface EncodedCorpus {
  vocab: Vocabulary;
  /** Each message's ids, then `EOS_ID`. */
  ids: Int32Array;
  messages: number;
  /** How often each token occurs. */
  counts: Map<string, number>;
}

const END_OF_MESSAGE = -1;

/**
 * Reads a corpus once and returns the vocabulary built from its counts and its id stream: the
 * same result as `countTokens`, `Vocabulary.build` and `encodeCorpus`, but each message is read
 * and tokenized once instead of twice (tokens get a provisional id, remapped at the end).
 */
export async function encodeCorpusWithNewVocabulary(
  messages: AsyncIterable<CorpusMessage | string> | Iterable<CorpusMessage | string>,
  options: VocabularyBuildOptions,
): Promise<EncodedCorpus> {
  const provisional = new Map<string, number>();
  const tally: number[] = [];
  const ids = new IdBuffer();
  let messageCount = 0;
  for await (const message of messages) {
    messageCount++;
    for (const token of tokenize(typeof message === 'string' ? message : message.text)) {
      let id = provisional.get(token);
      if (id === undefined) {
        id = tally.length;
        provisional.set(token, id);
        tally.push(0);
      }
      tally[id] = (tally[id] as number) + 1;
      ids.push(id);
    }
    ids.push(END_OF_MESSAGE);
  }
  const counts = new Map<string, number>();
  for (const [token, id] of provisional) counts.set(token, tally[id] as number);
  const vocab = Vocabulary.build(counts, options);
  const finalIds = new Int32Array(tally.length);
  for (const [token, id] of provisional) finalIds[id] = vocab.idOf(token);
  const stream = ids.toInt32Array();
  for (let i = 0; i < stream.length; i++) {
    const id = stream[i] as number;
    stream[i] = id === END_OF_MESSAGE ? EOS_ID : (finalIds[id] as number);
  }
  return { vocab, ids: stream, messages: messageCount, counts };
}
