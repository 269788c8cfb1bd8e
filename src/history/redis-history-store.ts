import type { Redis } from 'ioredis';
import { channelKey, type ChannelRef } from '../commands/channel-ref.js';
import type { StoredMessage } from './stored-message.js';

const CHUNK = 1_000;

/**
 * Each channel's stored history in Redis, so every bot, trainer and import on any host sees the same
 * data: a list `<prefix>:history:<platform>/<workspace>/<channel>` of JSON messages, oldest first,
 * capped to the newest `maxMessages`. A channel's list serves that channel only. Users who asked to be
 * forgotten sit in the set `<prefix>:optout:<platform>/<workspace>`.
 */
export class RedisHistoryStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    /** Most messages kept per channel (the newest win). */
    private readonly maxMessages: number,
  ) {}

  key(channel: ChannelRef): string {
    return `${this.prefix}:history:${channelKey(channel)}`;
  }

  /** Appends messages (oldest first) and trims the list to the newest `maxMessages`. */
  async append(channel: ChannelRef, messages: readonly StoredMessage[]): Promise<void> {
    if (messages.length === 0) return;
    const key = this.key(channel);
    for (let i = 0; i < messages.length; i += CHUNK) {
      const chunk = messages.slice(i, i + CHUNK).map((message) => JSON.stringify(message));
      await this.redis
        .multi()
        .rpush(key, ...chunk)
        .ltrim(key, -this.maxMessages, -1)
        .exec();
    }
  }

  async count(channel: ChannelRef): Promise<number> {
    return this.redis.llen(this.key(channel));
  }

  /** The newest `limit` messages (all when undefined), oldest first, read in chunks. */
  async *read(channel: ChannelRef, limit?: number): AsyncGenerator<StoredMessage> {
    const key = this.key(channel);
    const length = await this.redis.llen(key);
    const start = limit === undefined ? 0 : Math.max(0, length - limit);
    for (let from = start; from < length; from += CHUNK) {
      const rows = await this.redis.lrange(key, from, Math.min(length, from + CHUNK) - 1);
      for (const row of rows) yield JSON.parse(row) as StoredMessage;
    }
  }

  /** Deletes the channel's stored messages. */
  async forgetChannel(channel: ChannelRef): Promise<void> {
    await this.redis.del(this.key(channel));
  }

  /** Deletes the raw history after training (unless the operator keeps it). */
  async clear(channel: ChannelRef): Promise<void> {
    await this.forgetChannel(channel);
  }

  /**
   * `/forget me`: the user's messages leave every stored channel history of the workspace, and the user
   * is remembered as opted out so no future import or collection stores them again. Returns how many
   * messages were removed.
   */
  async forgetUser(platform: ChannelRef['platform'], workspace: string, userId: string): Promise<number> {
    await this.redis.sadd(this.optOutKey(platform, workspace), userId);
    const pattern = `${this.prefix}:history:${escapeGlob(`${platform}/${workspace}/`)}*`;
    let removed = 0;
    let cursor = '0';
    do {
      const [next, keys] = await this.redis.scan(cursor, 'MATCH', pattern, 'COUNT', 500);
      cursor = next;
      for (const key of keys) removed += await this.#removeAuthor(key, userId);
    } while (cursor !== '0');
    return removed;
  }

  async optedOut(platform: ChannelRef['platform'], workspace: string): Promise<Set<string>> {
    return new Set(await this.redis.smembers(this.optOutKey(platform, workspace)));
  }

  optOutKey(platform: ChannelRef['platform'], workspace: string): string {
    return `${this.prefix}:optout:${platform}/${workspace}`;
  }

  /** Rewrites one list without the author's messages, chunk by chunk, then swaps it in. */
  async #removeAuthor(key: string, userId: string): Promise<number> {
    const temp = `${key}:rewrite`;
    await this.redis.del(temp);
    const length = await this.redis.llen(key);
    let removed = 0;
    for (let from = 0; from < length; from += CHUNK) {
      const rows = await this.redis.lrange(key, from, from + CHUNK - 1);
      const kept = rows.filter((row) => (JSON.parse(row) as StoredMessage).author !== userId);
      removed += rows.length - kept.length;
      if (kept.length) await this.redis.rpush(temp, ...kept);
    }
    if (removed === 0) return 0;
    if ((await this.redis.exists(temp)) === 1) await this.redis.rename(temp, key);
    else await this.redis.del(key);
    return removed;
  }
}

function escapeGlob(value: string): string {
  return value.replace(/[*?[\]\\]/g, '\\$&');
}
