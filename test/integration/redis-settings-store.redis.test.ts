import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import type { ChannelRef } from '../../src/commands/channel-ref.js';
import { RedisSettingsStore } from '../../src/settings/redis-settings-store.js';
import { deleteKeys, TEST_REDIS_URL, testPrefix } from '../helpers/redis-test-env.js';

const prefix = testPrefix();
const redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: 1 });
const store = new RedisSettingsStore(redis, prefix);
const channel: ChannelRef = { platform: 'slack', workspace: 'T1', channel: 'C1' };

afterAll(async () => {
  await deleteKeys(TEST_REDIS_URL, prefix);
  redis.disconnect();
});

describe('RedisSettingsStore', () => {
  it('keeps mentions off by default, on once set, off again, each apart from the temperature', async () => {
    expect(await store.get(channel)).toEqual({});
    await store.setTemperature(channel, 0.4);
    await store.setMentions(channel, true);
    expect(await store.get(channel)).toEqual({ temperature: 0.4, mentions: true });
    expect(await store.get({ ...channel, channel: 'C2' })).toEqual({});
    await store.setMentions(channel, false);
    expect(await store.get(channel)).toEqual({ temperature: 0.4 });
    await store.setContinueMessage(channel, true);
    expect(await store.get(channel)).toEqual({ temperature: 0.4, continueMessage: true });
    await store.setContinueMessage(channel, false);
    await store.resetTemperature(channel);
    expect(await redis.exists(store.key(channel))).toBe(0);
  });
});
