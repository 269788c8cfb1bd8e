import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { ReplayGuard } from '../commands/replay-guard.js';
import { failAsUnavailable } from './fail-as-unavailable.js';

/**
 * How long a request id is remembered: Slack's signed timestamp may lie 5 minutes either side of
 * now, so a signed request is acceptable for 10 minutes at most; one more for clock drift.
 */
export const REPLAY_MEMORY_MS = 11 * 60_000;

/**
 * `ReplayGuard` on Redis, shared by every bot process: one key per request id (hashed, so any id is a
 * short key), set with `SET NX PX`, so of two bots taking the same request at once exactly one wins.
 */
export class RedisReplayGuard implements ReplayGuard {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly memoryMs = REPLAY_MEMORY_MS,
  ) {}

  async firstSeen(requestId: string): Promise<boolean> {
    const key = `${this.prefix}:seen-request:${createHash('sha256').update(requestId).digest('base64url')}`;
    const set = await failAsUnavailable(() => this.redis.set(key, '1', 'PX', this.memoryMs, 'NX'));
    return set === 'OK';
  }
}
