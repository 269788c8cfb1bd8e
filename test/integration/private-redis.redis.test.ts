import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { freePort, startPrivateRedis } from '../../src/main/private-redis.js';
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

  /** A redis-server on `dataDir/redis` whose starter is gone (`ownerPid` dead), as after a SIGKILL. */
  async function leftoverServer(ownerPid: number): Promise<{ pid: number; port: number }> {
    const dir = join(dataDir, 'redis');
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const port = await freePort();
    const args = ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--appendonly', 'yes'];
    await new Promise<void>((done, fail) =>
      spawn('redis-server', [...args, '--daemonize', 'yes', '--pidfile', join(dir, 'redis.pid')], { stdio: 'ignore' })
        .once('exit', (code) => (code === 0 ? done() : fail(new Error(`redis-server exited ${code}`))))
        .once('error', fail),
    );
    await writeFile(join(dir, 'owner.pid'), `${ownerPid}\n`);
    await vi.waitFor(() => readFile(join(dir, 'redis.pid'), 'utf8'), { timeout: 5_000 });
    const pid = Number(await readFile(join(dir, 'redis.pid'), 'utf8'));
    const redis = new Redis(port);
    await new RedisSettingsStore(redis, 'lstm-bot').setTemperature(channel, 0.4);
    redis.disconnect();
    return { pid, port };
  }

  const channel = { platform: 'console' as const, workspace: 'local', channel: 'general' };
  const exitedPid = (): Promise<number> =>
    new Promise((done) => {
      const child = spawn('true');
      child.once('exit', () => done(child.pid!));
    });

  it('stops a server its killed starter left running on its folder, then starts its own on what it saved', async () => {
    const leftover = await leftoverServer(await exitedPid());
    const next = await startPrivateRedis(dataDir);
    const redis = new Redis(next.url);
    try {
      expect(() => process.kill(leftover.pid, 0)).toThrow(); // the leftover is gone
      expect(Number(await readFile(join(dataDir, 'redis', 'redis.pid'), 'utf8'))).not.toBe(leftover.pid);
      expect(await new RedisSettingsStore(redis, 'lstm-bot').get(channel)).toEqual({ temperature: 0.4 });
    } finally {
      redis.disconnect();
      await next.stop();
    }
  });

  it("refuses to start on a folder whose server's starter is alive (another npm start), and leaves that server be", async () => {
    const starter = spawn('sleep', ['30'], { stdio: 'ignore' });
    const server = await leftoverServer(starter.pid!);
    try {
      await expect(startPrivateRedis(dataDir)).rejects.toMatchObject({ code: 'DATA_DIR_IN_USE' });
      expect(() => process.kill(server.pid, 0)).not.toThrow();
    } finally {
      starter.kill();
      process.kill(server.pid, 'SIGTERM');
      await vi.waitFor(() => expect(() => process.kill(server.pid, 0)).toThrow(), { timeout: 10_000 });
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
