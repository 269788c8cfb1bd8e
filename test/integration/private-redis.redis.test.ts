import { mkdtemp, readdir, readFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startPrivateRedis } from '../../src/main/private-redis.js';
import { RedisSettingsStore } from '../../src/settings/redis-settings-store.js';
import { removeDir } from '../helpers/redis-test-env.js';

describe('the private Redis of `npm start`', () => {
  let dataDir: string;
  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'lstm-bot-data-'));
  });
  afterEach(async () => removeDir(dataDir));

  it('keeps channel settings on disk under DATA_DIR across restarts', async () => {
    const channel = { platform: 'console' as const, workspace: 'local', channel: 'general' };
    const first = await startPrivateRedis(dataDir);
    const redis1 = new Redis(first.url);
    await new RedisSettingsStore(redis1, 'lstm-bot').setTemperature(channel, 1.1);
    redis1.disconnect();
    await first.stop();

    const second = await startPrivateRedis(dataDir);
    const redis2 = new Redis(second.url);
    try {
      expect(await new RedisSettingsStore(redis2, 'lstm-bot').get(channel)).toEqual({ temperature: 1.1 });
    } finally {
      redis2.disconnect();
      await second.stop();
    }
  });

  it('stops a server left running on its folder (its starter killed) before it starts its own', async () => {
    const channel = { platform: 'console' as const, workspace: 'local', channel: 'general' };
    const leftover = await startPrivateRedis(dataDir); // never stopped: as if its process got SIGKILL
    const pid = Number(await readFile(join(dataDir, 'redis', 'redis.pid'), 'utf8'));
    const redis1 = new Redis(leftover.url);
    await new RedisSettingsStore(redis1, 'lstm-bot').setTemperature(channel, 0.4);
    redis1.disconnect();

    const next = await startPrivateRedis(dataDir);
    const redis2 = new Redis(next.url);
    try {
      expect(() => process.kill(pid, 0)).toThrow(); // the leftover is gone
      expect(Number(await readFile(join(dataDir, 'redis', 'redis.pid'), 'utf8'))).not.toBe(pid);
      // What the leftover held was saved and read back, not overwritten by a second writer.
      expect(await new RedisSettingsStore(redis2, 'lstm-bot').get(channel)).toEqual({ temperature: 0.4 });
    } finally {
      redis2.disconnect();
      await next.stop();
      await leftover.stop();
    }
  });

  it('requires a random password, new at every start, that no command line shows, and keeps its folder private', async () => {
    const own = await startPrivateRedis(dataDir);
    const url = new URL(own.url);
    const stranger = new Redis({
      host: url.hostname,
      port: Number(url.port),
      lazyConnect: true,
      maxRetriesPerRequest: 0,
    });
    stranger.on('error', () => undefined);
    const owner = new Redis(own.url);
    try {
      expect(url.password).toMatch(/^[0-9a-f]{48}$/);
      expect(await owner.ping()).toBe('PONG');
      await stranger.connect().catch(() => undefined);
      await expect(stranger.get('anything')).rejects.toThrow(/NOAUTH/);
      const commandLines = await Promise.all(
        (await readdir('/proc'))
          .filter((p) => /^\d+$/.test(p))
          .map((p) => readFile(`/proc/${p}/cmdline`, 'latin1').catch(() => '')),
      );
      expect(commandLines.some((line) => line.includes('redis-server'))).toBe(true);
      expect(commandLines.filter((line) => line.includes(url.password))).toEqual([]);
      expect((await stat(join(dataDir, 'redis'))).mode & 0o777).toBe(0o700);
    } finally {
      stranger.disconnect();
      owner.disconnect();
      await own.stop();
    }
    const again = await startPrivateRedis(dataDir);
    await again.stop();
    expect(new URL(again.url).password).not.toBe(url.password);
  });

  it('says how to install Redis when redis-server is missing', async () => {
    const error = await startPrivateRedis(dataDir, 'redis-server-that-does-not-exist').catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'REDIS_MISSING' });
    expect((error as Error).message).toContain('sudo apt-get install redis-server');
    expect((error as Error).message).toContain('REDIS_URL');
  });
});
