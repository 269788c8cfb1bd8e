import type { Redis } from 'ioredis';
import { channelKey, workspaceKey, type ChannelRef } from '../commands/channel-ref.js';
import { historyScripts, type HistoryScripts } from './history-scripts.js';
import { scanKeys } from '../queue/scan-keys.js';
import type { StoredMessage } from './stored-message.js';

const CHUNK = 1_000;

/**
 * Each channel's stored history in Redis, so every bot, trainer and import on any host sees the same
 * data: a list `<prefix>:history:<platform>/<workspace>/<channel>` of JSON messages, oldest first,
 * capped to the newest `maxMessages`. A channel's list serves that channel only. Users who asked to be
 * forgotten sit in the set `<prefix>:optout:<platform>/<workspace>`. Appending and `/forget me` are Lua
 * scripts (`history-scripts.ts`), so a message can never slip in beside a `/forget me`.
 */
export class RedisHistoryStore {
  readonly #scripts: HistoryScripts;

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    /** Most messages kept per channel (the newest win). */
    readonly maxMessages: number,
  ) {
    this.#scripts = historyScripts(redis);
  }

  key(channel: ChannelRef): string {
    return `${this.prefix}:history:${channelKey(channel)}`;
  }

  /**
   * Appends messages (oldest first), except those of opted-out users (checked in the same script), and
   * trims the list to the newest `maxMessages`. Returns how many were stored.
   */
  async append(channel: ChannelRef, messages: readonly StoredMessage[]): Promise<number> {
    const keys = { ...this.#keysOf(this.key(channel)), optOut: this.optOutKey(channel.platform, channel.workspace) };
    let stored = 0;
    for (let i = 0; i < messages.length; i += CHUNK) {
      const rows = messages
        .slice(i, i + CHUNK)
        .map((message) => ({ author: message.author, row: JSON.stringify(message) }));
      stored += await this.#scripts.append(keys, this.maxMessages, rows);
    }
    return stored;
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

  /** The newest `limit` messages, oldest first, in one read. */
  async recent(channel: ChannelRef, limit: number): Promise<StoredMessage[]> {
    if (limit <= 0) return [];
    const rows = await this.redis.lrange(this.key(channel), -limit, -1);
    return rows.map((row) => JSON.parse(row) as StoredMessage);
  }

  /** Deletes the channel's stored messages. */
  async forgetChannel(channel: ChannelRef): Promise<void> {
    const { list, pushed } = this.#keysOf(this.key(channel));
    await this.redis.del(list, pushed);
  }

  /** Deletes the raw history after training (unless the operator keeps it). */
  async clear(channel: ChannelRef): Promise<void> {
    await this.forgetChannel(channel);
  }

  /**
   * `/forget me`: the user's messages leave every stored channel history of the platform, in every
   * workspace (a Discord user id is the same person in every server), and the user is remembered as
   * opted out, so no future import or collection stores them again, in `workspace`, in
   * `otherWorkspaces` (where they were seen otherwise, e.g. their queued requests), and in every
   * workspace where messages of theirs were found. Returns how many messages were removed. An opt-out
   * comes before the list is cleaned and every append checks it atomically, so once it is in no
   * message of the user's can be added; a workspace found only while cleaning gets its opt-out, then
   * its list is cleaned once more (a message appended between the two goes with the second pass).
   */
  async forgetUser(
    platform: ChannelRef['platform'],
    workspace: string,
    userId: string,
    otherWorkspaces: Iterable<string> = [],
  ): Promise<number> {
    const optedOut = new Set([workspace, ...otherWorkspaces]);
    for (const each of optedOut) await this.redis.sadd(this.optOutKey(platform, each), userId);
    const pattern = `${this.prefix}:history:${escapeGlob(`${platform}/`)}*`;
    let removed = 0;
    for await (const keys of scanKeys(this.redis, pattern)) {
      for (const key of keys) {
        let fromKey = await this.#removeAuthor(key, userId);
        const found = this.#workspaceOf(key);
        if (fromKey > 0 && found !== undefined && !optedOut.has(found)) {
          await this.redis.sadd(this.optOutKey(platform, found), userId);
          optedOut.add(found);
          fromKey += await this.#removeAuthor(key, userId);
        }
        removed += fromKey;
      }
    }
    return removed;
  }

  async optedOut(platform: ChannelRef['platform'], workspace: string): Promise<Set<string>> {
    return new Set(await this.redis.smembers(this.optOutKey(platform, workspace)));
  }

  optOutKey(platform: ChannelRef['platform'], workspace: string): string {
    return `${this.prefix}:optout:${workspaceKey(platform, workspace)}`;
  }

  /** Removes the author's messages from one list, a chunk per script call (others may append meanwhile). */
  async #removeAuthor(key: string, userId: string): Promise<number> {
    let removed = 0;
    for (let position = 0; position >= 0;) {
      const chunk = await this.#scripts.forgetChunk(this.#keysOf(key), userId, position, CHUNK);
      removed += chunk.removed;
      position = chunk.next;
    }
    return removed;
  }

  /** The workspace a history list belongs to (the middle of `<platform>/<workspace>/<channel>`). */
  #workspaceOf(list: string): string | undefined {
    return list.slice(`${this.prefix}:history:`.length).split('/')[1] || undefined;
  }

  #keysOf(list: string): { list: string; pushed: string } {
    return { list, pushed: `${this.prefix}:history-pushed:${list.slice(`${this.prefix}:history:`.length)}` };
  }
}

function escapeGlob(value: string): string {
  return value.replace(/[*?[\]\\]/g, '\\$&');
}
