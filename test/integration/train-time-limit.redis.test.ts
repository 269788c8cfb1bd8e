import { cp, mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { RedisHistoryStore } from '../../src/history/redis-history-store.js';
import { ChannelModelVersions } from '../../src/model/store/channel-model-versions.js';
import { runTrainingChild } from '../../src/training/run-training-child.js';
import { deleteKeys, removeDir, TEST_REDIS_URL, testPrefix } from '../helpers/redis-test-env.js';

describe('the training time limit (TRAIN_TIME_LIMIT_MS)', () => {
  const cleanups: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  it("covers the whole run, the child's start and the publication included: the child uses it, and ends within it", async () => {
    const prefix = testPrefix();
    const modelsDir = await mkdtemp(join(tmpdir(), 'lstm-bot-time-limit-'));
    await cp('test/fixtures/models/tiny', join(modelsDir, 'base'), { recursive: true });
    const redis = new Redis(TEST_REDIS_URL);
    cleanups.push(
      () => removeDir(modelsDir),
      () => deleteKeys(TEST_REDIS_URL, prefix),
      async () => redis.disconnect(),
    );
    const channel = { platform: 'console', workspace: 'local', channel: 'limit' } as const;
    const lines = (await readFile('test/fixtures/tiny-dialogue.txt', 'utf8')).split('\n').filter(Boolean);
    await new RedisHistoryStore(redis, prefix, 5_000).append(
      channel,
      lines.map((text) => ({ text, author: 'u1' })),
    );
    // Roomy enough for a child that starts slowly (from source, through vite-node: up to 17 s seen on a
    // loaded machine) still to train long enough to beat the base model.
    const timeLimitMs = 40_000;
    const started = performance.now();
    // As the trainer starts one: the whole limit as the budget, and more epochs than fit in it.
    const summary = await runTrainingChild(
      {
        redisUrl: TEST_REDIS_URL,
        prefix,
        modelsDir,
        baseModelDir: join(modelsDir, 'base'),
        channel,
        requestId: 'limit1',
        messages: 600,
        maxStoredMessages: 5_000,
        keepRawHistory: true,
        keepVersions: 1,
        fineTune: { epochs: 100_000, batchSize: 8, seqLength: 8, timeBudgetMs: timeLimitMs },
      },
      {
        timeLimitMs,
        onProgress: () => undefined,
      },
    );
    // It was not killed (TRAIN_TIMEOUT would have rejected): it stopped itself, published, within the limit.
    expect(performance.now() - started).toBeLessThanOrEqual(timeLimitMs);
    expect(summary.published).toBe(true);
    expect(await new ChannelModelVersions(modelsDir, channel).current()).toBe(summary.version);
  }, 90_000);
});
