import { describe, expect, it } from 'vitest';
import type { ChannelSettings, SettingsStore } from '../../../src/commands/settings-store.js';
import { CachedSettingsStore } from '../../../src/settings/cached-settings-store.js';

class CountingStore implements SettingsStore {
  reads = 0;
  settings: ChannelSettings = {};
  async get() {
    this.reads += 1;
    return { ...this.settings };
  }
  async setTemperature() {}
  async resetTemperature() {}
  async setSwitch(_c: unknown, setting: 'learning', enabled: boolean) {
    this.settings = { ...this.settings, [setting]: enabled || undefined };
  }
  async setNumber() {}
}

const channel = { platform: 'discord' as const, workspace: '1', channel: '2' };

describe('CachedSettingsStore', () => {
  it('reads a channel once per ttl on the message path, again after it', async () => {
    let now = 0;
    const inner = new CountingStore();
    const store = new CachedSettingsStore(inner, 5_000, () => now);
    await store.cached(channel);
    await store.cached(channel);
    expect(inner.reads).toBe(1);
    now = 5_001;
    await store.cached(channel);
    expect(inner.reads).toBe(2);
  });

  it('a change made through it counts at once; commands always read through', async () => {
    const inner = new CountingStore();
    const store = new CachedSettingsStore(inner, 60_000, () => 0);
    await store.setSwitch(channel, 'learning', true);
    expect((await store.cached(channel)).learning).toBe(true);
    await store.setSwitch(channel, 'learning', false);
    expect((await store.cached(channel)).learning).toBeUndefined();
    inner.settings = { learning: true };
    expect((await store.get(channel)).learning).toBe(true);
    expect((await store.cached(channel)).learning).toBe(true);
  });

  it('keeps at most maxEntries channels', async () => {
    const inner = new CountingStore();
    const store = new CachedSettingsStore(inner, 60_000, () => 0, 2);
    for (const id of ['a', 'b', 'c', 'a']) await store.cached({ ...channel, channel: id });
    expect(inner.reads).toBe(4);
  });
});
