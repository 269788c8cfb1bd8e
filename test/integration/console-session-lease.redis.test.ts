import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { ConsoleSessionLease } from '../../src/queue/console-session-lease.js';
import { deleteKeys, silentLogger, TEST_REDIS_URL, testPrefix } from '../helpers/redis-test-env.js';

describe('console sessions: one live console per session, a restarted one takes over', () => {
  let redis: Redis;
  let prefix: string;
  const leases: ConsoleSessionLease[] = [];
  beforeAll(() => {
    redis = new Redis(TEST_REDIS_URL);
  });
  afterAll(() => redis.disconnect());
  beforeEach(() => {
    prefix = testPrefix();
  });
  afterEach(async () => {
    for (const lease of leases.splice(0)) await lease.release();
    await deleteKeys(TEST_REDIS_URL, prefix);
  });

  const claim = async (over: Partial<Parameters<typeof ConsoleSessionLease.claim>[1]> = {}) => {
    const lease = await ConsoleSessionLease.claim(redis, { prefix, logger: silentLogger, host: 'box', ...over });
    leases.push(lease);
    return lease;
  };

  it('gives two live consoles of one host different sessions', async () => {
    // Both live, whatever processes 101 and 102 are on this machine.
    const a = await claim({ pid: 101, isAlive: () => true });
    const b = await claim({ pid: 102, isAlive: () => true });
    expect(a.sessionId).toMatch(/^box-[0-9a-f]{6}$/);
    expect(b.sessionId).not.toBe(a.sessionId);
  });

  it('hands a released session, with what is pending for it, to the next console of the host', async () => {
    const first = await claim({ pid: 101 });
    await first.pendingStore.add({ id: 'g1' });
    await first.pendingStore.add({ id: 'train-r1-end', statusKey: 'train-r1' });
    await first.release();
    const next = await claim({ pid: 103 });
    expect(next.sessionId).toBe(first.sessionId);
    expect(await next.pendingStore.list()).toEqual(
      expect.arrayContaining([{ id: 'g1' }, { id: 'train-r1-end', statusKey: 'train-r1' }]),
    );
    // A console on another host starts its own session.
    expect((await claim({ host: 'other', pid: 101 })).sessionId).toMatch(/^other-/);
  });

  it("takes a killed console's session at once when its process is dead, never a live one's", async () => {
    const killed = await claim({ pid: 101, ttlMs: 60_000 });
    await killed.pendingStore.add({ id: 'g1' });
    const alongside = await claim({ pid: 102, isAlive: () => true });
    expect(alongside.sessionId).not.toBe(killed.sessionId);
    const restarted = await claim({ pid: 103, isAlive: (pid) => pid !== 101 });
    expect(restarted.sessionId).toBe(killed.sessionId);
    expect(await restarted.pendingStore.list()).toEqual([{ id: 'g1' }]);
  });

  it('holds its session again, without a word of another console, when Redis lost every key', async () => {
    const warn = vi.fn();
    const logger = { ...silentLogger, warn, info: vi.fn(), child: () => logger } as unknown as typeof silentLogger;
    const lease = await claim({ pid: 101, ttlMs: 300, logger });
    await deleteKeys(TEST_REDIS_URL, prefix); // a Redis restarted without its data
    const owner = `${prefix}:console-session:${lease.sessionId}:owner`;
    await vi.waitFor(async () => expect(await redis.exists(owner)).toBe(1), { timeout: 2_000 });
    // Still its own: a console of another process of this host does not get it.
    expect((await claim({ pid: 102, isAlive: () => true })).sessionId).not.toBe(lease.sessionId);
    expect(warn).not.toHaveBeenCalled();
  });

  it('frees a session whose holder cannot be checked (another host) only once its lease expired', async () => {
    const owner = `${prefix}:console-session:box-abc:owner`;
    await redis.hset(`${prefix}:console-sessions`, 'box-abc', 'box');
    await redis.set(owner, 'elsewhere:7:n0', 'PX', 300); // a holder that stopped renewing
    expect((await claim({ pid: 102 })).sessionId).not.toBe('box-abc');
    await vi.waitFor(async () => expect(await redis.exists(owner)).toBe(0), { timeout: 2_000 });
    expect((await claim({ pid: 103 })).sessionId).toBe('box-abc');
  });

  it('refuses CONSOLE_SESSION while a live console holds it, and hands it over once released', async () => {
    const holder = await claim({ requested: 'ops', pid: 101 });
    await expect(claim({ requested: 'ops', pid: 102, isAlive: () => true })).rejects.toMatchObject({
      code: 'CONSOLE_SESSION_BUSY',
    });
    await expect(claim({ requested: 'ops', pid: 102, isAlive: () => true })).rejects.toThrow(
      /console session ops is in use by process 101 on box/,
    );
    await holder.release();
    expect((await claim({ requested: 'ops', pid: 102 })).sessionId).toBe('ops');
  });
});
