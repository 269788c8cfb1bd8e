import { describe, expect, it, vi } from 'vitest';
import type { Bot } from '../../src/main/start-bot.js';
import type { GenerationWorker } from '../../src/generation/generation-worker.js';
import { discordContext, FakeChatAdapter } from '../helpers/fake-chat-adapter.js';
import { startTestBot, startTestWorker, usePipelineScope } from '../helpers/pipeline-harness.js';
import { queueCounts, waitForQueuesSettled } from '../helpers/queue-counts.js';
import { GENERATE_QUEUE } from '../../src/queue/queue-names.js';
import { FakeTextGenerator } from '../helpers/fake-text-generator.js';
import { announceModel } from '../../src/queue/model-announcements.js';
import { channelModelDir } from '../../src/model/store/model-location.js';
import { writeModelCard } from '../helpers/redis-test-env.js';
import { Redis } from 'ioredis';
import { symlink as linkDir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { loadGenerator } from '../../src/main/load-generator.js';
import { removeDir, TEST_REDIS_URL } from '../helpers/redis-test-env.js';

describe('the pipeline on real Redis', () => {
  const scope = usePipelineScope();

  async function bot(adapter: FakeChatAdapter, overrides = {}): Promise<Bot> {
    const b = await startTestBot(TEST_REDIS_URL, scope.prefix, scope.modelsDir, [adapter], overrides);
    scope.closers.push(() => b.close());
    return b;
  }

  async function worker(options = {}): Promise<GenerationWorker> {
    const w = await startTestWorker(TEST_REDIS_URL, scope.prefix, scope.modelsDir, options);
    scope.closers.push(() => w.close(5_000));
    return w;
  }

  /** A bot and a worker that loads the real LSTM: the tiny test model as the base model. */
  async function withTinyModel(): Promise<{ adapter: FakeChatAdapter; b: Bot }> {
    await removeDir(join(scope.modelsDir, 'base'));
    await linkDir(resolve('test/fixtures/models/tiny'), join(scope.modelsDir, 'base'));
    const adapter = new FakeChatAdapter();
    const b = await bot(adapter);
    await worker({ loadGenerator: (dir: string) => loadGenerator(dir) });
    return { adapter, b };
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
    expect(posted?.reply).toEqual({
      text: 'the weather basew0 basew1 basew2',
      visibility: 'public',
      // The first attempt of the request's one reply.
      delivery: { id: `reply-${outcome.pendingJobId}`, firstAttemptAt: expect.any(Number), mayHavePosted: false },
    });
    expect(posted?.address).toEqual(context.replyTo);
    // Every job processed (retries included): a second post could only have come from one of them.
    await waitForQueuesSettled(TEST_REDIS_URL, scope.prefix, [GENERATE_QUEUE, adapter.replyQueue]);
    expect(adapter.posted).toHaveLength(1);
    const replies = await queueCounts(TEST_REDIS_URL, scope.prefix, 'replies-discord');
    expect(replies.completed).toBe(1);
  });

  it("keeps each channel's temperature apart, and both survive a bot restart", async () => {
    const adapter = new FakeChatAdapter();
    const first = await bot(adapter);
    const manager = { canManageChannel: true };
    const set = await first.handlers.handleCommand(
      { name: 'temperature', action: 'set', value: 0.5 },
      discordContext('chan-a', manager),
    );
    expect(set.text).toBe('Temperature set to 0.5 for this channel.');
    await first.handlers.handleCommand(
      { name: 'temperature', action: 'set', value: 1.25 },
      discordContext('chan-b', manager),
    );
    await first.close();
    scope.closers.pop();

    const second = await bot(new FakeChatAdapter());
    const a = await second.handlers.handleCommand({ name: 'temperature', action: 'show' }, discordContext('chan-a'));
    const b = await second.handlers.handleCommand({ name: 'temperature', action: 'show' }, discordContext('chan-b'));
    const c = await second.handlers.handleCommand({ name: 'temperature', action: 'show' }, discordContext('chan-c'));
    expect(a.text).toBe('The temperature in this channel is 0.5.');
    expect(b.text).toBe('The temperature in this channel is 1.25.');
    expect(c.text).toBe('The temperature in this channel is 0.8 (the default).');

    await second.handlers.handleCommand({ name: 'temperature', action: 'reset' }, discordContext('chan-a', manager));
    const reset = await second.handlers.handleCommand(
      { name: 'temperature', action: 'show' },
      discordContext('chan-a'),
    );
    expect(reset.text).toBe('The temperature in this channel is 0.8 (the default).');
  });

  it('refuses a temperature change from someone who cannot manage the channel, and keeps the old value', async () => {
    const b = await bot(new FakeChatAdapter());
    const refused = await b.handlers.handleCommand(
      { name: 'temperature', action: 'set', value: 1.5 },
      discordContext('chan-a', { canManageChannel: false }),
    );
    expect(refused).toEqual({
      text: 'Only people who can manage this channel may change its temperature.',
      visibility: 'private',
    });
    const resetRefused = await b.handlers.handleCommand(
      { name: 'temperature', action: 'reset' },
      discordContext('chan-a', { canManageChannel: false }),
    );
    expect(resetRefused.text).toBe(refused.text);
    const shown = await b.handlers.handleCommand({ name: 'temperature', action: 'show' }, discordContext('chan-a'));
    expect(shown.text).toContain('0.8 (the default)');
  });

  it('answers bad commands with a short message and enqueues nothing', async () => {
    const b = await bot(new FakeChatAdapter());
    const manager = discordContext('chan-a', { canManageChannel: true });
    const ask = (command: Parameters<Bot['handlers']['handleCommand']>[0]) =>
      b.handlers.handleCommand(command, manager);
    expect((await ask({ name: 'continue', prompt: '   ' })).text).toContain('Give me a few words');
    expect((await ask({ name: 'continue', prompt: 'x'.repeat(1_001) })).text).toBe(
      'That prompt is too long: at most 1000 characters.',
    );
    expect((await ask({ name: 'continue', prompt: 'hi', words: 0 })).text).toContain('from 1 to 200');
    expect((await ask({ name: 'continue', prompt: 'hi', words: 2.5 })).text).toContain('from 1 to 200');
    expect((await ask({ name: 'continue', prompt: 'hi', temperature: 3 })).text).toContain('from 0 to 2');
    expect((await ask({ name: 'temperature', action: 'set', value: Number.NaN })).text).toContain('from 0 to 2');
    expect((await ask({ name: 'temperature', action: 'set', value: -1 })).text).toContain('from 0 to 2');
    const counts = await queueCounts(TEST_REDIS_URL, scope.prefix, 'generate');
    expect((counts.wait ?? 0) + (counts.active ?? 0) + (counts.completed ?? 0)).toBe(0);
  });

  it('limits requests per user and per channel across two bot processes, with a clear message', async () => {
    const limits = { RATE_LIMIT_USER_PER_MINUTE: 2, RATE_LIMIT_CHANNEL_PER_MINUTE: 3 };
    const one = await bot(new FakeChatAdapter(), limits);
    const two = await bot(new FakeChatAdapter(), limits);
    const alice = discordContext('chan-a', { userId: 'alice' });
    const bob = discordContext('chan-a', { userId: 'bob' });
    const go = (b: Bot, context: typeof alice) => b.handlers.handleCommand({ name: 'continue', prompt: 'hi' }, context);
    expect((await go(one, alice)).pendingJobId).toBeTruthy();
    expect((await go(two, alice)).pendingJobId).toBeTruthy();
    const third = await go(one, alice);
    expect(third.pendingJobId).toBeUndefined();
    expect(third.text).toMatch(/^You are sending requests too fast\. Try again in \d+ s\.$/);
    expect((await go(two, bob)).pendingJobId).toBeTruthy();
    const channelFull = await go(one, bob);
    expect(channelFull.text).toMatch(/^This channel is sending requests too fast/);
    const elsewhere = await go(one, discordContext('chan-b', { userId: 'carol' }));
    expect(elsewhere.pendingJobId).toBeTruthy();
  });

  it('gets pending answers out through a bot started after the one that took the command', async () => {
    const first = new FakeChatAdapter();
    const b1 = await bot(first);
    const outcome = await b1.handlers.handleCommand(
      { name: 'continue', prompt: 'later', words: 2 },
      discordContext('c'),
    );
    expect(outcome.pendingJobId).toBeTruthy();
    await b1.close();
    scope.closers.splice(scope.closers.indexOf(scope.closers.at(-1)!), 1);

    await worker();
    const second = new FakeChatAdapter();
    await bot(second);
    const [posted] = await second.waitForPosts(1);
    expect(posted?.reply.text).toBe('later basew0 basew1');
    expect(first.posted).toHaveLength(0);
  });

  it('batches concurrent requests for one model into shared generate calls', async () => {
    const generator = new FakeTextGenerator('base');
    generator.hold();
    const adapter = new FakeChatAdapter();
    const b = await bot(adapter);
    await worker({ loadGenerator: async () => generator, concurrency: 16 });
    const asks = Array.from({ length: 12 }, (_, i) =>
      b.handlers.handleCommand(
        { name: 'continue', prompt: `p${i}`, words: 2 },
        discordContext(`c${i % 3}`, { userId: `u${i}` }),
      ),
    );
    await Promise.all(asks);
    // All 12 taken by the worker while the first batch is held, so the rest gather into shared batches.
    await vi.waitFor(
      async () => {
        const { active = 0 } = await queueCounts(TEST_REDIS_URL, scope.prefix, GENERATE_QUEUE);
        if (generator.batches.length === 0 || active < 12) throw new Error(`${active} of 12 jobs taken so far`);
      },
      { timeout: 10_000, interval: 20 },
    );
    generator.release();
    await adapter.waitForPosts(12);
    expect(generator.batches.reduce((a, n) => a + n, 0)).toBe(12);
    expect(generator.batches.length).toBeLessThan(12);
    expect(new Set(adapter.posted.map((p) => p.reply.text)).size).toBe(12);
  });

  it("uses a channel's own model when published, picked up without restart, and the base model elsewhere", async () => {
    const adapter = new FakeChatAdapter();
    const b = await bot(adapter);
    const loaded = new Map<string, FakeTextGenerator>();
    await worker({
      loadGenerator: async (dir: string) => {
        const generator = new FakeTextGenerator(dir.split('/').at(-1));
        loaded.set(dir.split('/').at(-1)!, generator);
        return generator;
      },
      modelCheckMs: 600_000, // only the announcement can make the worker look again
    });
    const ask = (channel: string) =>
      b.handlers.handleCommand({ name: 'continue', prompt: channel, words: 1 }, discordContext(channel));
    await ask('chan-a');
    await adapter.waitForPosts(1);
    expect(adapter.posted[0]?.reply.text).toBe('chan-a basew0');

    const own = channelModelDir(scope.modelsDir, { platform: 'discord', workspace: 'guild-1', channel: 'chan-a' });
    await writeModelCard(`${own}/versions/v1`, 'chan-a-1');
    const { symlink } = await import('node:fs/promises');
    await symlink('versions/v1', `${own}/current`);
    const publisher = new Redis(TEST_REDIS_URL);
    await announceModel(publisher, scope.prefix, 'discord/guild-1/chan-a');
    publisher.disconnect();

    await ask('chan-a');
    await ask('chan-b');
    await adapter.waitForPosts(3);
    expect(
      adapter.posted
        .map((p) => p.reply.text)
        .slice(1)
        .sort(),
    ).toEqual(['chan-a v1w0', 'chan-b basew0']);
    const status = await b.handlers.handleCommand({ name: 'status' }, discordContext('chan-a'));
    expect(status.text).toContain("this channel's own model, version chan-a-1");

    await writeModelCard(`${own}/versions/v2`, 'chan-a-2');
    await symlink('versions/v2', `${own}/next`);
    const { rename } = await import('node:fs/promises');
    await rename(`${own}/next`, `${own}/current`);
    const publisher2 = new Redis(TEST_REDIS_URL);
    await announceModel(publisher2, scope.prefix, 'discord/guild-1/chan-a');
    publisher2.disconnect();
    await ask('chan-a');
    await adapter.waitForPosts(4);
    expect(adapter.posted[3]?.reply.text).toBe('chan-a v2w0');
    expect(loaded.get('v1')?.disposed).toBe(true);
    expect(loaded.get('base')?.disposed).toBe(false);
    expect(status.text).toContain('Workers alive: 1');
    expect(status.text).toContain('Backend: fake');
  });

  it('sends an apology, once, when a request finally fails', async () => {
    const adapter = new FakeChatAdapter();
    const b = await bot(adapter, { GENERATE_ATTEMPTS: 2 });
    let loads = 0;
    await worker({
      loadGenerator: async () => {
        loads += 1;
        throw Object.assign(new Error('weights unreadable'), { code: 'MODEL_CORRUPT' });
      },
    });
    await b.handlers.handleCommand({ name: 'continue', prompt: 'doomed' }, discordContext('c'));
    const [posted] = await adapter.waitForPosts(1);
    expect(posted?.reply).toEqual({
      text: 'Sorry, I could not write a continuation this time. Please try again in a moment.',
      visibility: 'private',
      delivery: expect.objectContaining({ mayHavePosted: false }),
    });
    expect(loads).toBe(2);
    await waitForQueuesSettled(TEST_REDIS_URL, scope.prefix, [GENERATE_QUEUE, adapter.replyQueue]);
    expect(adapter.posted).toHaveLength(1);
  });

  it('answers with the real LSTM from the model store, batching concurrent requests', async () => {
    const { adapter, b } = await withTinyModel();
    const prompts = ['the weather today', 'did you see the game', 'what about lunch', 'i think so'];
    await Promise.all(
      prompts.map((prompt, i) =>
        b.handlers.handleCommand({ name: 'continue', prompt, words: 8 }, discordContext(`c${i}`, { userId: `u${i}` })),
      ),
    );
    const posted = await adapter.waitForPosts(prompts.length);
    for (const prompt of prompts) {
      const reply = posted.find((p) => p.reply.text.startsWith(prompt));
      // The tiny test model may go on with punctuation (`the weather today!`): any continuation counts.
      expect(reply?.reply.text.length).toBeGreaterThan(prompt.length);
    }
    const status = await b.handlers.handleCommand({ name: 'status' }, discordContext('c0'));
    expect(status.text).toContain('the base model, version pipeline-tiny-model');
  });

  it('says under the reply which words of a mostly unknown prompt the model has not learnt', async () => {
    const { adapter, b } = await withTinyModel();
    await b.handlers.handleCommand({ name: 'continue', prompt: 'zorblax quuxly', words: 6 }, discordContext('c1'));
    await b.handlers.handleCommand(
      { name: 'continue', prompt: 'did you see the zorblax game', words: 6 },
      discordContext('c2'),
    );
    const posted = await adapter.waitForPosts(2);
    const [answer, note, ...rest] = posted.find((p) => p.reply.text.startsWith('zorblax'))!.reply.text.split('\n');
    expect(answer!.length).toBeGreaterThan('zorblax quuxly'.length);
    expect(note).toBe(
      "(New to me: `zorblax` and `quuxly`. An admin's /retrain on this channel can teach me the words it uses often.)",
    );
    expect(rest).toEqual([]);
    // One unknown word of six: a typo, not worth a note.
    expect(posted.find((p) => p.reply.text.startsWith('did you'))!.reply.text).not.toContain('\n');
  });
});
