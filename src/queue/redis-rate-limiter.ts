import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { channelKey, type ChannelRef } from '../commands/channel-ref.js';
import type { RateLimitDecision, RateLimiter } from '../commands/rate-limiter.js';
import { failAsUnavailable } from './fail-as-unavailable.js';

export interface RateLimits {
  userPerMinute: number;
  channelPerMinute: number;
}

/**
 * Sliding one-minute windows per user (per workspace) and per channel, as sorted sets in Redis, checked
 * and counted in one script on Redis's clock: the limits hold across any number of bot processes.
 * A refused request counts against neither limit. A limit of 0 is off.
 */
const SCRIPT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local window = tonumber(ARGV[1])
for i, key in ipairs(KEYS) do
  local limit = tonumber(ARGV[2 + i])
  if limit > 0 then
    redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
    if redis.call('ZCARD', key) >= limit then
      local oldest = redis.call('ZRANGE', key, 0, 0, 'WITHSCORES')
      return {i, tonumber(oldest[2]) + window - now}
    end
  end
end
for i, key in ipairs(KEYS) do
  if tonumber(ARGV[2 + i]) > 0 then
    redis.call('ZADD', key, now, ARGV[2])
    redis.call('PEXPIRE', key, window)
  end
end
return {0, 0}
`;

const WINDOW_MS = 60_000;

export class RedisRateLimiter implements RateLimiter {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly limits: RateLimits,
  ) {}

  /** Without a user (chatter), only the channel's window is checked and counted. */
  async take(channel: ChannelRef, userId: string | undefined): Promise<RateLimitDecision> {
    const { channelPerMinute } = this.limits;
    const userPerMinute = userId === undefined ? 0 : this.limits.userPerMinute;
    if (userPerMinute === 0 && channelPerMinute === 0) return { allowed: true };
    const keys = [
      `${this.prefix}:ratelimit:user:${channel.platform}/${channel.workspace}/${userId ?? '-'}`,
      `${this.prefix}:ratelimit:channel:${channelKey(channel)}`,
    ];
    const [hit, retryAfterMs] = (await failAsUnavailable(() =>
      this.redis.eval(SCRIPT, 2, ...keys, WINDOW_MS, randomUUID(), userPerMinute, channelPerMinute),
    )) as [number, number];
    if (hit === 0) return { allowed: true };
    return { allowed: false, scope: hit === 1 ? 'user' : 'channel', retryAfterMs: Math.max(0, retryAfterMs) };
  }
}
