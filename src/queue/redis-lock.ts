import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';

const RELEASE = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end return 0`;
const RENEW = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) end return 0`;

export interface RedisLockOptions {
  /** A holder that stops renewing (a killed process) loses the lock after this long. */
  ttlMs: number;
  /** Longest wait for the lock before `onBusy`'s error is thrown. */
  waitMs: number;
  pollMs: number;
  onBusy: () => Error;
}

/**
 * Runs `work` holding the lock `lockKey` (`SET NX PX`, released only by its holder), renewed every
 * third of `ttlMs` while `work` runs, so a slow holder keeps it and a killed one loses it.
 * Our own rather than a library: one Redis needs no Redlock quorum, redlock's release (4.2) cannot
 * renew and its renewing 5.x is still a beta; this is a wait, a renewal timer and a release script.
 */
export async function withRedisLock<T>(
  redis: Redis,
  lockKey: string,
  options: RedisLockOptions,
  work: () => Promise<T>,
): Promise<T> {
  const token = randomUUID();
  const deadline = Date.now() + options.waitMs;
  while ((await redis.set(lockKey, token, 'PX', options.ttlMs, 'NX')) === null) {
    if (Date.now() >= deadline) throw options.onBusy();
    await new Promise((resolve) => setTimeout(resolve, options.pollMs));
  }
  const renewal = setInterval(() => {
    redis.eval(RENEW, 1, lockKey, token, String(options.ttlMs)).catch(() => undefined);
  }, options.ttlMs / 3);
  renewal.unref();
  try {
    return await work();
  } finally {
    clearInterval(renewal);
    await redis.eval(RELEASE, 1, lockKey, token).catch(() => undefined);
  }
}
