import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RedisMissingError, startPrivateRedis } from '../../src/main/private-redis.js';
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

  it('says how to install Redis when redis-server is missing', async () => {
    const error = await startPrivateRedis(dataDir, 'redis-server-that-does-not-exist').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RedisMissingError);
    expect((error as Error).message).toContain('sudo apt-get install redis-server');
    expect((error as Error).message).toContain('REDIS_URL');
  });
});
