import type { Redis } from 'ioredis';
import { channelKey, type ChannelRef } from '../commands/channel-ref.js';
import type { ChannelSettings, SettingsStore } from '../commands/settings-store.js';
import { failAsUnavailable } from '../queue/fail-as-unavailable.js';

/**
 * Channel settings as one Redis hash per channel, `<prefix>:settings:<platform>/<workspace>/<channel>`.
 * Durable as long as Redis persists (the private Redis of `npm start` writes an append-only file).
 */
export class RedisSettingsStore implements SettingsStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  key(channel: ChannelRef): string {
    return `${this.prefix}:settings:${channelKey(channel)}`;
  }

  async get(channel: ChannelRef): Promise<ChannelSettings> {
    const raw = await failAsUnavailable(() => this.redis.hget(this.key(channel), 'temperature'));
    const temperature = raw === null ? undefined : Number(raw);
    return temperature === undefined || !Number.isFinite(temperature) ? {} : { temperature };
  }

  async setTemperature(channel: ChannelRef, value: number): Promise<void> {
    await failAsUnavailable(() => this.redis.hset(this.key(channel), 'temperature', String(value)));
  }

  async resetTemperature(channel: ChannelRef): Promise<void> {
    await failAsUnavailable(() => this.redis.hdel(this.key(channel), 'temperature'));
  }
}
