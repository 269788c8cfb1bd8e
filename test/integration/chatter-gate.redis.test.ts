import { Redis } from 'ioredis';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { RedisChatterGate } from '../../src/queue/redis-chatter-gate.js';
import { deleteKeys, TEST_REDIS_URL, testPrefix } from '../helpers/redis-test-env.js';

const redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: 1 });
const prefix = testPrefix();
const channel = { platform: 'slack' as const, workspace: 'T1', channel: 'C1' };
const other = { ...channel, channel: 'C2' };

afterEach(() => deleteKeys(TEST_REDIS_URL, prefix));
afterAll(() => redis.disconnect());

describe('RedisChatterGate', () => {
  it('passes a drawn message, then never the next one, then again once the cooldown is over', async () => {
    const gate = new RedisChatterGate(redis, prefix, 0);
    expect(await gate.pass(channel, true)).toBe(true);
    expect(await gate.pass(channel, true)).toBe(false);
    expect(await gate.pass(channel, true)).toBe(true);
    expect(await gate.pass(channel, false)).toBe(false);
    expect(await gate.pass(channel, true)).toBe(true);
  });

  it('holds the cooldown across gates (bot processes), per channel', async () => {
    const one = new RedisChatterGate(redis, prefix, 60_000);
    const two = new RedisChatterGate(redis, prefix, 60_000);
    expect(await one.pass(channel, true)).toBe(true);
    expect(await two.pass(channel, false)).toBe(false);
    expect(await two.pass(channel, true)).toBe(false);
    expect(await redis.pttl(one.cooldownKey(channel))).toBeGreaterThan(50_000);
    expect(await two.pass(other, true)).toBe(true);
  });

  it('of two bot processes told the same drawn message at once, one passes', async () => {
    const gates = [0, 1].map(() => new RedisChatterGate(redis, prefix, 60_000));
    const passed = await Promise.all(gates.map((gate) => gate.pass(channel, true)));
    expect(passed.filter(Boolean)).toHaveLength(1);
  });
});
