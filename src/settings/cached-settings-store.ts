import type { ChannelRef } from '../commands/channel-ref.js';
import { channelKey } from '../commands/channel-ref.js';
import type { ChannelNumber, ChannelSettings, SettingsStore } from '../commands/settings-store.js';
import type { ChannelSwitch } from '../commands/chat-command.js';

/** How long a channel's settings are read from memory by the message path: a switch-off elsewhere takes effect within it. */
export const SETTINGS_CACHE_MS = 5_000;

/**
 * A `SettingsStore` that remembers each channel's settings for `ttlMs`, for the message path, which
 * reads them for every message of every channel (`cached`). Commands read through (`get`, which
 * refreshes the memory) and write through (dropping the channel's entry), so a change made in this
 * process counts at once, and one made by another bot process within `ttlMs`.
 */
export class CachedSettingsStore implements SettingsStore {
  readonly #entries = new Map<string, { settings: ChannelSettings; until: number }>();

  constructor(
    private readonly inner: SettingsStore,
    private readonly ttlMs = SETTINGS_CACHE_MS,
    private readonly now: () => number = Date.now,
    /** Most channels remembered; the oldest entries go first. */
    private readonly maxEntries = 10_000,
  ) {}

  /** The channel's settings, from memory when read less than `ttlMs` ago. */
  readonly cached = async (channel: ChannelRef): Promise<ChannelSettings> => {
    const entry = this.#entries.get(channelKey(channel));
    if (entry && entry.until > this.now()) return entry.settings;
    return this.get(channel);
  };

  async get(channel: ChannelRef): Promise<ChannelSettings> {
    const settings = await this.inner.get(channel);
    const key = channelKey(channel);
    this.#entries.delete(key);
    this.#entries.set(key, { settings, until: this.now() + this.ttlMs });
    if (this.#entries.size > this.maxEntries) this.#entries.delete(this.#entries.keys().next().value as string);
    return settings;
  }

  async setTemperature(channel: ChannelRef, value: number): Promise<void> {
    await this.#writing(channel, () => this.inner.setTemperature(channel, value));
  }

  async resetTemperature(channel: ChannelRef): Promise<void> {
    await this.#writing(channel, () => this.inner.resetTemperature(channel));
  }

  async setSwitch(channel: ChannelRef, setting: ChannelSwitch, enabled: boolean): Promise<void> {
    await this.#writing(channel, () => this.inner.setSwitch(channel, setting, enabled));
  }

  async setNumber(channel: ChannelRef, setting: ChannelNumber, value: number | undefined): Promise<void> {
    await this.#writing(channel, () => this.inner.setNumber(channel, setting, value));
  }

  async #writing(channel: ChannelRef, write: () => Promise<void>): Promise<void> {
    this.#entries.delete(channelKey(channel));
    try {
      await write();
    } finally {
      this.#entries.delete(channelKey(channel));
    }
  }
}
