import type { CorpusMessage } from './read-corpus.js';
import { tokenize } from '../text/tokenize.js';

/**
 * Counts tokens over messages (strings or corpus messages, sync or async), adding to `counts`
 * when given. The result feeds `Vocabulary.build`.
 */
export async function countTokens(
  messages: AsyncIterable<string | CorpusMessage> | Iterable<string | CorpusMessage>,
  counts: Map<string, number> = new Map(),
): Promise<Map<string, number>> {
  for await (const message of messages) {
    for (const token of tokenize(typeof message === 'string' ? message : message.text)) {
      counts.set(token, (counts.get(token) ?? 0) + 1);
    }
  }
  return counts;
}
