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
  it('keeps mentions, continue_message and context off by default, on once set, off again, each apart from the others', async () => {
    expect(await store.get(channel)).toEqual({});
    await store.setTemperature(channel, 0.4);
    await store.setSwitch(channel, 'mentions', true);
    expect(await store.get(channel)).toEqual({ temperature: 0.4, mentions: true });
    await store.setSwitch(channel, 'context', true);
    expect(await store.get(channel)).toEqual({ temperature: 0.4, mentions: true, context: true });
    expect(await store.get({ ...channel, channel: 'C2' })).toEqual({});
    await store.setSwitch(channel, 'mentions', false);
    expect(await store.get(channel)).toEqual({ temperature: 0.4, context: true });
    await store.setSwitch(channel, 'context', false);
    expect(await store.get(channel)).toEqual({ temperature: 0.4 });
    await store.setSwitch(channel, 'continue_message', true);
    expect(await store.get(channel)).toEqual({ temperature: 0.4, continue_message: true });
    expect(await redis.hget(store.key(channel), 'continue_message')).toBe('on');
    await store.setSwitch(channel, 'continue_message', false);
    await store.resetTemperature(channel);
    expect(await redis.exists(store.key(channel))).toBe(0);
  });

  it('keeps min words, chatter and the temperature as numbers apart from each other, and removes each on reset', async () => {
    const numbers: ChannelRef = { ...channel, channel: 'C3' };
    await store.setNumber(numbers, 'minWords', 12);
    await store.setNumber(numbers, 'chatter', 0.05);
    await store.setNumber(numbers, 'temperature', 1.25);
    await store.setSwitch(numbers, 'learning', true);
    expect(await store.get(numbers)).toEqual({ minWords: 12, chatter: 0.05, temperature: 1.25, learning: true });
    await store.setNumber(numbers, 'chatter', 0);
    expect((await store.get(numbers)).chatter).toBe(0);
    await store.setNumber(numbers, 'minWords', undefined);
    await store.resetTemperature(numbers);
    expect(await store.get(numbers)).toEqual({ chatter: 0, learning: true });
    await store.setNumber(numbers, 'chatter', undefined);
    await store.setSwitch(numbers, 'learning', false);
    expect(await redis.exists(store.key(numbers))).toBe(0);
  });
});
