import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Bot } from '../../src/main/start-bot.js';
import { discordContext, FakeChatAdapter } from '../helpers/fake-chat-adapter.js';
import { OwnRedis } from '../helpers/own-redis.js';
import { startTestBot, startTestWorker } from '../helpers/pipeline-harness.js';
import { makeModelStore, removeDir, testPrefix } from '../helpers/redis-test-env.js';

const UNAVAILABLE = 'The bot is temporarily unavailable. Please try again in a minute.';

describe('Redis going away and coming back', () => {
  let redis: OwnRedis;
  let modelsDir: string;
  const closers: (() => Promise<void>)[] = [];

  beforeEach(async () => {
    redis = await OwnRedis.start();
    modelsDir = await makeModelStore();
  });

  afterEach(async () => {
    for (const close of closers.splice(0).reverse()) await close();
    await redis.stop();
    await removeDir(modelsDir);
  });

  async function askUntilAccepted(bot: Bot, prompt: string) {
    return vi.waitFor(
      async () => {
        const outcome = await bot.handlers.handleCommand({ name: 'continue', prompt, words: 1 }, discordContext('c'));
        if (!outcome.pendingJobId) throw new Error(`"${prompt}" not accepted within 10 s: ${outcome.text}`);
        return outcome;
      },
      { timeout: 10_000, interval: 100 },
    );
  }

  it('answers "temporarily unavailable" while Redis is down, then works again without restarting anything', async () => {
    const prefix = testPrefix();
    const adapter = new FakeChatAdapter();
    const bot = await startTestBot(redis.url, prefix, modelsDir, [adapter]);
    closers.push(() => bot.close());
    const worker = await startTestWorker(redis.url, prefix, modelsDir);
    closers.push(() => worker.close(2_000));

    await askUntilAccepted(bot, 'before');
    await adapter.waitForPosts(1);

    await redis.stop();
    const down = await bot.handlers.handleCommand({ name: 'continue', prompt: 'during' }, discordContext('c'));
    expect(down).toEqual({ text: UNAVAILABLE, visibility: 'private', failed: true });
    const status = await bot.handlers.handleCommand({ name: 'status' }, discordContext('c'));
    expect(status.text).toBe(UNAVAILABLE);

    await redis.start();
    await askUntilAccepted(bot, 'after');
    const posted = await adapter.waitForPosts(2);
    expect(posted.map((p) => p.reply.text)).toEqual(['before basew0', 'after basew0']);
  });

  it('answers "temporarily unavailable" at once when Redis was never there', async () => {
    const prefix = testPrefix();
    await redis.stop();
    const bot = await startTestBot(redis.url, prefix, modelsDir, [new FakeChatAdapter()]);
    closers.push(() => bot.close());
    const outcome = await bot.handlers.handleCommand({ name: 'continue', prompt: 'hello' }, discordContext('c'));
    expect(outcome).toEqual({ text: UNAVAILABLE, visibility: 'private', failed: true });
  });
});
