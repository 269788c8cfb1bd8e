import type { Redis } from 'ioredis';
import { channelKey, type ChannelRef } from '../commands/channel-ref.js';
import type { ChannelSwitch } from '../commands/chat-command.js';
import { SETTINGS_SWITCHES } from '../commands/command-policy.js';
import type { ChannelNumber, ChannelSettings, SettingsStore } from '../commands/settings-store.js';
import { failAsUnavailable } from '../queue/fail-as-unavailable.js';

const NUMBERS = ['temperature', 'minWords', 'chatter'] as const satisfies readonly ChannelNumber[];

/**
 * Channel settings as one Redis hash per channel, `<prefix>:settings:<platform>/<workspace>/<channel>`:
 * `temperature`, `minWords`, `chatter`, and each on/off setting in the field of its name (`mentions`, `continue_message`, ...).
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
    const fields = await failAsUnavailable(() => this.redis.hmget(this.key(channel), ...NUMBERS, ...SETTINGS_SWITCHES));
    const switches = fields.slice(NUMBERS.length);
    const on = SETTINGS_SWITCHES.filter((_, i) => switches[i] === 'on').map((name) => [name, true] as const);
    const numbers = NUMBERS.flatMap((name, i) => {
      const raw = fields[i];
      const value = raw === null || raw === undefined ? Number.NaN : Number(raw);
      return Number.isFinite(value) ? [[name, value] as const] : [];
    });
    return { ...Object.fromEntries(numbers), ...Object.fromEntries(on) };
  }

  /** Stored in the field of the setting's name, or removed (`undefined`: the default). */
  async setNumber(channel: ChannelRef, setting: ChannelNumber, value: number | undefined): Promise<void> {
    const key = this.key(channel);
    await failAsUnavailable(() =>
      value === undefined ? this.redis.hdel(key, setting) : this.redis.hset(key, setting, String(value)),
    );
  }

  async setTemperature(channel: ChannelRef, value: number): Promise<void> {
    await this.setNumber(channel, 'temperature', value);
  }

  /** Stored as `on` in the field of the setting's name, or removed: off is the default. */
  async setSwitch(channel: ChannelRef, setting: ChannelSwitch, enabled: boolean): Promise<void> {
    const key = this.key(channel);
    await failAsUnavailable(() => (enabled ? this.redis.hset(key, setting, 'on') : this.redis.hdel(key, setting)));
  }

  async resetTemperature(channel: ChannelRef): Promise<void> {
    await this.setNumber(channel, 'temperature', undefined);
  }
}
