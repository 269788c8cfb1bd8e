import type { Redis } from 'ioredis';
import { channelKey, type ChannelRef } from '../commands/channel-ref.js';

/** A channel's remembered replies expire when the bot has not answered there for this long. */
const IDLE_SECONDS = 30 * 86_400;

/**
 * The bot's own recent replies in each channel, so that every worker, on any host, can keep the next
 * reply from saying again what the bot said lately (`RECENT_REPLIES`): a list
 * `<prefix>:recent-replies:<platform>/<workspace>/<channel>` of the newest `maxReplies` replies, oldest
 * first, each as its tokens (a JSON array of the vocabulary's names: what the model wrote, never the
 * prompt). A channel's list serves that channel only; `/forget channel` deletes it with the channel's
 * model and history, and it expires after 30 days without a reply.
 */
export class RedisRecentReplies {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    /** Replies kept per channel (the newest win); 0 keeps none. */
    readonly maxReplies: number,
  ) {}

  /** The key of a channel's remembered replies. */
  key(channel: ChannelRef): string {
    return `${this.prefix}:recent-replies:${channelKey(channel)}`;
  }

  /** The channel's remembered replies, oldest first, each as its tokens. */
  async recent(channel: ChannelRef): Promise<string[][]> {
    if (this.maxReplies === 0) return [];
    const rows = await this.redis.lrange(this.key(channel), -this.maxReplies, -1);
    return rows.map((row) => JSON.parse(row) as string[]);
  }

  /** Adds a reply (its tokens) as the newest, dropping the oldest beyond `maxReplies`. */
  async remember(channel: ChannelRef, tokens: readonly string[]): Promise<void> {
    if (this.maxReplies === 0 || tokens.length === 0) return;
    const key = this.key(channel);
    await this.redis
      .multi()
      .rpush(key, JSON.stringify(tokens))
      .ltrim(key, -this.maxReplies, -1)
      .expire(key, IDLE_SECONDS)
      .exec();
  }

  /** Deletes the channel's remembered replies. */
  async forgetChannel(channel: ChannelRef): Promise<void> {
    await this.redis.del(this.key(channel));
  }
}
