import { encodePrompt } from './encode-prompt.js';
import type { Vocabulary } from './vocabulary.js';

/**
 * A channel's recent messages (oldest first) as the ids that prime the model before a prompt: each
 * message as a prompt is read (`<eos>`, then its tokens), one after another, of which the last
 * `maxTokens` are kept. The prompt's own leading `<eos>` then ends the newest message.
 */
export function encodeContext(messages: readonly string[], vocab: Vocabulary, maxTokens: number): number[] {
  const ids = messages.flatMap((text) => encodePrompt(text, vocab).ids);
  return maxTokens > 0 ? ids.slice(-maxTokens) : [];
}
