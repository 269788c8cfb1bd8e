import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import type { ChannelRef } from '../../src/commands/channel-ref.js';
import { RedisRateLimiter } from '../../src/queue/redis-rate-limiter.js';
import { deleteKeys, TEST_REDIS_URL, testPrefix } from '../helpers/redis-test-env.js';

const prefix = testPrefix();
const redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: 1 });
const channel: ChannelRef = { platform: 'discord', workspace: '111111111111111111', channel: '222222222222222222' };

afterAll(async () => {
  await deleteKeys(TEST_REDIS_URL, prefix);
  redis.disconnect();
});

describe('RedisRateLimiter', () => {
  it('counts a request against its user and its channel, and refuses the user past their limit', async () => {
    const limiter = new RedisRateLimiter(redis, `${prefix}:a`, { userPerMinute: 2, channelPerMinute: 10 });
    expect(await limiter.take(channel, 'u1')).toEqual({ allowed: true });
    expect(await limiter.take(channel, 'u1')).toEqual({ allowed: true });
    expect(await limiter.take(channel, 'u1')).toMatchObject({ allowed: false, scope: 'user' });
    expect(await limiter.take(channel, 'u2')).toEqual({ allowed: true });
  });

  it('counts a request without a user (chatter) against the channel only', async () => {
    const limiter = new RedisRateLimiter(redis, `${prefix}:b`, { userPerMinute: 1, channelPerMinute: 3 });
    expect(await limiter.take(channel, undefined)).toEqual({ allowed: true });
    expect(await limiter.take(channel, undefined)).toEqual({ allowed: true });
    // The user who was answered unprompted still has their own request.
    expect(await limiter.take(channel, 'u1')).toEqual({ allowed: true });
    expect(await limiter.take(channel, undefined)).toMatchObject({ allowed: false, scope: 'channel' });
    expect(await redis.exists(`${prefix}:b:ratelimit:user:discord/${channel.workspace}/-`)).toBe(0);
  });
});
