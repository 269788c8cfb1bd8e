import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Bot } from '../../src/main/bot.js';
import type { GenerationWorker } from '../../src/worker/generation-worker.js';
import { discordContext, FakeChatAdapter } from '../helpers/fake-chat-adapter.js';
import { startTestBot, startTestWorker } from '../helpers/pipeline-harness.js';
import { deleteKeys, makeModelStore, removeDir, TEST_REDIS_URL, testPrefix } from '../helpers/redis-test-env.js';

describe('the pipeline on real Redis', () => {
  let prefix: string;
  let modelsDir: string;
  const closers: (() => Promise<void>)[] = [];

  beforeEach(async () => {
    prefix = testPrefix();
    modelsDir = await makeModelStore();
  });

  afterEach(async () => {
    for (const close of closers.splice(0).reverse()) await close();
    await deleteKeys(TEST_REDIS_URL, prefix);
    await removeDir(modelsDir);
  });

  async function bot(adapter: FakeChatAdapter, overrides = {}): Promise<Bot> {
    const b = await startTestBot(TEST_REDIS_URL, prefix, modelsDir, [adapter], overrides);
    closers.push(() => b.close());
    return b;
  }

  async function worker(options = {}): Promise<GenerationWorker> {
    const w = await startTestWorker(TEST_REDIS_URL, prefix, modelsDir, options);
    closers.push(() => w.close(5_000));
    return w;
  }

  it('answers a /continue exactly once, in the channel it came from', async () => {
    const adapter = new FakeChatAdapter();
    await bot(adapter);
    await worker();
    const context = discordContext('chan-a');
    const outcome = await adapter.commands!.handleCommand(
      { name: 'continue', prompt: 'the weather', words: 3 },
      context,
    );
    expect(outcome.pendingJobId).toBeTruthy();
    const [posted] = await adapter.waitForPosts(1);
    expect(posted?.reply).toEqual({ text: 'the weather basew0 basew1 basew2', visibility: 'public' });
    expect(posted?.address).toEqual(context.replyTo);
    await new Promise((r) => setTimeout(r, 500));
    expect(adapter.posted).toHaveLength(1);
  });
});
