import { IdBuffer } from './id-buffer.js';
import type { CorpusMessage } from './read-corpus.js';
import { EOS_ID } from '../text/special-tokens.js';
import { tokenize } from '../text/tokenize.js';
import type { Vocabulary } from '../text/vocabulary.js';

/**
 * The id stream of a corpus for training: each message's token ids followed by `EOS_ID`, in a
 * typed buffer that grows as needed.
 */
export async function encodeCorpus(
  messages: AsyncIterable<CorpusMessage | string> | Iterable<CorpusMessage | string>,
  vocab: Vocabulary,
): Promise<Int32Array> {
  const ids = new IdBuffer();
  for await (const message of messages) {
    for (const token of tokenize(typeof message === 'string' ? message : message.text)) ids.push(vocab.idOf(token));
    ids.push(EOS_ID);
  }
  return ids.toInt32Array();
}
