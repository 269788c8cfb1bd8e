import type { Redis } from 'ioredis';
import type { ChannelRef } from '../commands/channel-ref.js';
import { ChannelAuthors } from '../model/text/channel-authors.js';
import { RedisHistoryStore } from './redis-history-store.js';
import type { StoredMessage } from './stored-message.js';

/** How much of a channel's stored history primes a continuation (`/settings context on`). */
export const CONTEXT_LIMITS = { messages: 8, chars: 2_000 } as const;

/** What the context needs of the history store: its newest messages, oldest first. */
export interface RecentMessages {
  recent(channel: ChannelRef, limit: number): Promise<StoredMessage[]>;
}

/**
 * The channel's most recent stored messages as a continuation's context, oldest first: at most
 * `limits.messages` of them, and only as many of the newest as fit `limits.chars` characters together
 * (a message that does not fit ends the context, the older ones with it; the newest alone longer than
 * that, as an import may keep one, gives its last `limits.chars` characters, from a word's start). They
 * are written as the retraining writes them: names addressing one of their authors at a message's start
 * (`bob: try this`) as the user placeholder. Only the stored history is read: what imports and `/retrain`
 * kept, which the opt-outs and `/forget` already govern.
 */
export async function recentContext(
  history: RecentMessages,
  channel: ChannelRef,
  limits: { messages: number; chars: number } = CONTEXT_LIMITS,
): Promise<string[]> {
  const messages = await history.recent(channel, limits.messages);
  const authors = new ChannelAuthors(messages.map((message) => message.author));
  const kept: string[] = [];
  let chars = 0;
  for (const message of messages.reverse()) {
    const text = authors.rewrite(message.text);
    chars += text.length;
    if (chars > limits.chars) {
      const tail = kept.length === 0 ? tailOf(text, limits.chars) : '';
      if (tail) kept.push(tail);
      break;
    }
    kept.push(text);
  }
  return kept.reverse();
}

/**
 * The context without the prompt's own message: a mention, a chosen message or a chattered-at message
 * is stored by live learning before the worker reads the context, so the newest stored message may be
 * the very text being continued (its end is the prompt, after any mention). Reading it twice would make
 * the model see the prompt as what was just said.
 */
export function withoutPromptMessage(context: readonly string[], prompt: string): string[] {
  const squash = (text: string): string => text.replace(/\s+/g, ' ').trim();
  const newest = context.at(-1);
  const said = squash(prompt);
  return newest !== undefined && said !== '' && squash(newest).endsWith(said) ? context.slice(0, -1) : [...context];
}

/** The last `chars` characters of `text`, never half a character, from a word's start if the cut fell in a word. */
function tailOf(text: string, chars: number): string {
  const tail = text.slice(-chars).replace(/^[\uDC00-\uDFFF]/, '');
  const cutInWord = /\S/.test(text.charAt(text.length - chars - 1));
  return (cutInWord ? tail.replace(/^\S+\s+(?=\S)/, '') : tail).trim();
}

/**
 * The generation worker's reader of contexts: `recentContext` over the stored history on its connection,
 * without the prompt's own message.
 */
export function storedContextReader(
  prefix: string,
): (redis: Redis) => (channel: ChannelRef, prompt: string) => Promise<string[]> {
  return (redis) => {
    // Reads only (a context's newest messages): the cap on stored messages is the importers' business.
    const history = new RedisHistoryStore(redis, prefix, Number.MAX_SAFE_INTEGER);
    return async (channel, prompt) => withoutPromptMessage(await recentContext(history, channel), prompt);
  };
}
