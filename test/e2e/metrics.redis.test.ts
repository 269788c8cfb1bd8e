import { Redis } from 'ioredis';
import { basename } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ChatAdapter } from '../../src/commands/chat-adapter.js';
import type { ReplyAddress, OutboundReply } from '../../src/commands/reply-address.js';
import { startBot } from '../../src/main/start-bot.js';
import { startProcessHealth } from '../../src/main/start-process-health.js';
import { createMetrics, type Metrics } from '../../src/ops/metrics.js';
import { startGenerationWorker } from '../../src/generation/generation-worker.js';
import { modelPaths } from '../../src/model/store/model-location.js';
import { discordContext, FakeChatAdapter } from '../helpers/fake-chat-adapter.js';
import { FakeTextGenerator } from '../helpers/fake-text-generator.js';
import { botConfig } from '../helpers/pipeline-harness.js';
import {
  deleteKeys,
  makeModelStore,
  removeDir,
  silentLogger,
  TEST_REDIS_URL,
  testPrefix,
} from '../helpers/redis-test-env.js';
import { fakeSlackAdapter, fakeSlackConfig } from './fake-slack/fake-slack-clients.js';
import { FakeSlack } from './fake-slack/fake-slack.js';
import { postSlashCommand } from './fake-slack/slack-request.js';

const SIGNING_SECRET = 'metrics-test-signing-secret';

/** A Discord edge whose first post fails the way a platform refuses one (an error with a `code`). */
class FlakyChatAdapter extends FakeChatAdapter {
  failures = 1;
  override async send(address: ReplyAddress, reply: OutboundReply): Promise<void> {
    if (this.failures-- > 0) throw Object.assign(new Error('rate limited'), { code: 'RATE_LIMITED' });
    await super.send(address, reply);
  }
}

describe('/metrics of a bot and a worker on real Redis', () => {
  let prefix: string;
  let modelsDir: string;
  let metrics: Metrics;
  const closers: (() => Promise<void>)[] = [];

  beforeEach(async () => {
    prefix = testPrefix();
    modelsDir = await makeModelStore();
    metrics = createMetrics();
  });

  afterEach(async () => {
    for (const close of closers.splice(0).reverse()) await close();
    await deleteKeys(TEST_REDIS_URL, prefix);
    await removeDir(modelsDir);
  });

  /** The process's /metrics endpoint, as `startProcessHealth` serves it. */
  async function scrape(): Promise<string> {
    const health = await startProcessHealth({
      config: { HEALTH_HOST: '127.0.0.1', HEALTH_PORT: 0, QUEUE_PREFIX: prefix },
      redisUrl: TEST_REDIS_URL,
      metrics,
      logger: silentLogger,
    });
    try {
      await vi.waitFor(async () => expect((await fetch(`http://127.0.0.1:${health.port}/healthz`)).status).toBe(200));
      return await (await fetch(`http://127.0.0.1:${health.port}/metrics`)).text();
    } finally {
      await health.close();
    }
  }

  /** A bot behind `adapter` and a generation worker, both keeping `metrics`. */
  async function startPipeline(adapter: ChatAdapter): Promise<void> {
    const bot = await startBot({
      config: botConfig(prefix, modelsDir),
      redisUrl: TEST_REDIS_URL,
      adapters: [adapter],
      logger: silentLogger,
      metrics,
    });
    closers.push(() => bot.close());
    await startWorker();
  }

  async function startWorker(): Promise<void> {
    const worker = await startGenerationWorker({
      redisUrl: TEST_REDIS_URL,
      prefix,
      models: modelPaths({ MODELS_DIR: modelsDir }),
      loadGenerator: async (dir) => new FakeTextGenerator(basename(dir)),
      backend: 'fake',
      logger: silentLogger,
      metrics,
      concurrency: 4,
      batchMax: 4,
      batchWaitMs: 2,
      cacheSize: 2,
      timeoutMs: 10_000,
      lockMs: 2_000,
      stalledIntervalMs: 1_000,
      modelCheckMs: 200,
    });
    closers.push(() => worker.close(5_000));
  }

  it('counts a Slack request acknowledged, the tokens it generated and its generation time, by model', async () => {
    const fake = new FakeSlack();
    await fake.start();
    closers.push(() => fake.stop());
    const redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: 1 });
    closers.push(async () => redis.disconnect());
    const adapter = fakeSlackAdapter(fakeSlackConfig(fake, SIGNING_SECRET, prefix), redis);
    await startPipeline(adapter);
    const before = await scrape();
    expect(before).not.toMatch(/^lstm_bot_platform_ack_seconds_count\{platform="slack"\}/m);
    expect(before).toMatch(/^lstm_bot_workers_alive 1$/m);

    await postSlashCommand(
      `http://127.0.0.1:${adapter.port}/slack/events`,
      {
        command: '/continue',
        text: 'the weather today --words 3',
        user_id: 'U1',
        channel_id: 'CMETRICS',
        team_id: fake.teamId,
        response_url: fake.responseUrl('m1'),
      },
      { signingSecret: SIGNING_SECRET },
    );
    // "Thinking…" is the acknowledgement's body; the answer comes through the response_url.
    await fake.waitFor(() => (fake.responsePosts.some((p) => p.id === 'm1') ? true : undefined));

    const after = await scrape();
    expect(after).toMatch(/^lstm_bot_platform_ack_seconds_count\{platform="slack"\} 1$/m);
    expect(after).toMatch(/^lstm_bot_generated_tokens_total\{model="base"\} 3$/m);
    expect(after).toMatch(/^lstm_bot_generation_seconds_count\{model="base"\} 1$/m);
    expect(after).toMatch(/^lstm_bot_queue_jobs\{queue="generate",state="waiting"\} 0$/m);
    expect(after).toMatch(/^lstm_bot_queue_jobs\{queue="replies-slack",state="failed"\} 0$/m);
    expect(after).toMatch(/^lstm_bot_redis_up 1$/m);
  });

  it('counts a failed reply delivery by platform and the code of its error, then the post that made it', async () => {
    const adapter = new FlakyChatAdapter();
    await startPipeline(adapter);
    await adapter.commands!.handleCommand({ name: 'continue', prompt: 'the weather', words: 2 }, discordContext('c1'));
    await adapter.waitForPosts(1);

    const text = await scrape();
    expect(text).toMatch(/^lstm_bot_reply_delivery_failures_total\{platform="discord",code="RATE_LIMITED"\} 1$/m);
    expect(text).toMatch(/^lstm_bot_replies_posted_total\{platform="discord",outcome="answer"\} 1$/m);
  });

  it('has no queue samples and lstm_bot_redis_up 0 while Redis does not answer', async () => {
    const health = await startProcessHealth({
      config: { HEALTH_HOST: '127.0.0.1', HEALTH_PORT: 0, QUEUE_PREFIX: prefix },
      redisUrl: 'redis://127.0.0.1:1',
      metrics,
      logger: silentLogger,
    });
    closers.push(() => health.close());
    const text = await (await fetch(`http://127.0.0.1:${health.port}/metrics`)).text();
    expect(text).toMatch(/^lstm_bot_redis_up 0$/m);
    expect(text).not.toMatch(/^lstm_bot_queue_jobs\{/m);
    const response = await fetch(`http://127.0.0.1:${health.port}/healthz`);
    expect(response.status).toBe(503);
  });
});
