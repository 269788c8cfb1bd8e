import type { Redis } from 'ioredis';
import type { ChannelRef } from '../commands/channel-ref.js';
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
 * (a message that does not fit ends the context, the older ones with it). Only the stored history is
 * read: what imports and `/retrain` kept, which the opt-outs and `/forget` already govern.
 */
export async function recentContext(
  history: RecentMessages,
  channel: ChannelRef,
  limits: { messages: number; chars: number } = CONTEXT_LIMITS,
): Promise<string[]> {
  const messages = await history.recent(channel, limits.messages);
  const kept: string[] = [];
  let chars = 0;
  for (const { text } of messages.reverse()) {
    chars += text.length;
    if (chars > limits.chars) break;
    kept.push(text);
  }
  return kept.reverse();
}

/** The generation worker's reader of contexts: `recentContext` over the stored history on its connection. */
export function storedContextReader(prefix: string): (redis: Redis) => (channel: ChannelRef) => Promise<string[]> {
  return (redis) => {
    // Reads only (a context's newest messages): the cap on stored messages is the importers' business.
    const history = new RedisHistoryStore(redis, prefix, Number.MAX_SAFE_INTEGER);
    return (channel) => recentContext(history, channel);
  };
}
