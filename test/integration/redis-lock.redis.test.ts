import { Redis } from 'ioredis';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { withRedisLock } from '../../src/queue/redis-lock.js';
import { deleteKeys, TEST_REDIS_URL, testPrefix } from '../helpers/redis-test-env.js';

const prefix = testPrefix();
const redis = new Redis(TEST_REDIS_URL);

afterAll(async () => {
  await deleteKeys(TEST_REDIS_URL, prefix);
  await redis.quit();
});

class BusyError extends Error {}
// A lifetime long enough that a renewal late by a busy machine (every third of it) still comes in time.
const options = { ttlMs: 600, waitMs: 50, pollMs: 10, onBusy: () => new BusyError() };

describe('withRedisLock', () => {
  it('keeps the lock past its expiry while the work runs, and lets it go after', async () => {
    const key = `${prefix}:lock:renewed`;
    let release: () => void = () => undefined;
    const holding = withRedisLock(redis, key, options, () => new Promise<void>((resolve) => (release = resolve)));
    await vi.waitFor(async () => expect(await redis.get(key)).not.toBeNull(), { timeout: 2_000 });
    // Three lock lifetimes later the first holder still has it: a second taker waits and gives up.
    await new Promise((resolve) => setTimeout(resolve, 3 * options.ttlMs));
    await expect(withRedisLock(redis, key, options, async () => 'second')).rejects.toBeInstanceOf(BusyError);
    release();
    await holding;
    expect(await redis.get(key)).toBeNull();
    expect(await withRedisLock(redis, key, options, async () => 'second')).toBe('second');
  });

  it('lets a holder that stopped renewing (a killed process) lose the lock after its lifetime', async () => {
    const key = `${prefix}:lock:lapsed`;
    await redis.set(key, 'a killed holder', 'PX', options.ttlMs);
    const patient = { ...options, waitMs: 2_000 };
    expect(await withRedisLock(redis, key, patient, async () => 'taken over')).toBe('taken over');
  });
});
