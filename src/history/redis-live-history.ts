import type { ChannelRef } from '../commands/channel-ref.js';
import type { LiveHistory, LiveMessage } from '../commands/live-history.js';
import { cleanMessage } from './clean-message.js';
import type { RedisHistoryStore } from './redis-history-store.js';

/**
 * Live learning's store: a channel's new message, cleaned as an import cleans it (`cleanMessage`:
 * commands, empty and link-only messages left out, long ones cut), appended to the channel's stored
 * history, whose append script leaves out an opted-out author atomically and keeps the cap.
 */
export class RedisLiveHistory implements LiveHistory {
  constructor(private readonly store: RedisHistoryStore) {}

  async record(channel: ChannelRef, message: LiveMessage): Promise<boolean> {
    const cleaned = cleanMessage({
      text: message.text,
      author: message.authorId,
      timestamp: new Date(message.timestampMs).toISOString(),
    });
    if (typeof cleaned === 'string') return false;
    return (await this.store.append(channel, [cleaned])) === 1;
  }
}
