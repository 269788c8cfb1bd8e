import type { CorpusMessage } from './read-corpus.js';
import { EOS_ID } from './special-tokens.js';
import { tokenize } from './tokenize.js';
import type { Vocabulary } from './vocabulary.js';

/**
 * The id stream of a corpus for training: each message's token ids followed by `EOS_ID`. Ids go
 * into a typed buffer that doubles as needed; the result is trimmed to its length.
 */
export async function encodeCorpus(
  messages: AsyncIterable<CorpusMessage | string> | Iterable<CorpusMessage | string>,
  vocab: Vocabulary,
): Promise<Int32Array> {
  let ids = new Int32Array(1 << 16);
  let length = 0;
  for await (const message of messages) {
    const tokens = tokenize(typeof message === 'string' ? message : message.text);
    if (length + tokens.length + 1 > ids.length) {
      const grown = new Int32Array(Math.max(ids.length * 2, length + tokens.length + 1));
      grown.set(ids.subarray(0, length));
      ids = grown;
    }
    for (const token of tokens) ids[length++] = vocab.idOf(token);
    ids[length++] = EOS_ID;
  }
  return ids.slice(0, length);
}
