import { Redis } from 'ioredis';
import { createSlackWebClient } from '../../../src/adapters/slack/create-slack-web-client.js';
import { ResponseUrlUses, type ResponseUrlUsesOptions } from '../../../src/adapters/slack/response-url-uses.js';
import { SlackReplySender } from '../../../src/adapters/slack/slack-reply-sender.js';
import { SlackChatAdapter } from '../../../src/adapters/slack/slack-chat-adapter.js';
import { configSchema, type Config } from '../../../src/config/schema.js';
import type { TextGenerator } from '../../../src/model/sampling/text-generator.js';
import type { BotConfig } from '../../../src/main/start-bot.js';
import type { Logger } from '../../../src/ops/logger.js';
import { startTestBot, startTestWorker, type TestWorkerOptions } from '../../helpers/pipeline-harness.js';
import { deleteKeys, silentLogger, TEST_REDIS_URL, testPrefix } from '../../helpers/redis-test-env.js';
import { FakeSlack } from './fake-slack.js';

/** The configuration of a bot whose Slack is `fake`, checking requests with `signingSecret`. */
export function fakeSlackConfig(fake: FakeSlack, signingSecret: string, prefix: string): Config {
  return configSchema.parse({
    SLACK_BOT_TOKEN: fake.botToken,
    SLACK_SIGNING_SECRET: signingSecret,
    SLACK_API_URL: fake.apiUrl,
    QUEUE_PREFIX: prefix,
  });
}

/**
 * The real Slack adapter (Bolt's HTTP receiver on a free port of 127.0.0.1) on `config`, without
 * retries; `redis` holds its `response_url` uses (under `QUEUE_PREFIX`).
 */
export function fakeSlackAdapter(
  config: Config,
  redis: Redis,
  options: { logger?: Logger; now?: () => number } = {},
): SlackChatAdapter {
  return new SlackChatAdapter({
    config,
    logger: options.logger ?? silentLogger,
    ...(options.now ? { now: options.now } : {}),
    redis,
    listen: { port: 0, host: '127.0.0.1' },
    retryConfig: { retries: 0 },
  });
}

/** A Web API client of the fake's bot, without retries. */
export function fakeSlackWebClient(fake: FakeSlack, logger: Logger) {
  return createSlackWebClient({ token: fake.botToken, apiUrl: fake.apiUrl, logger, retryConfig: { retries: 0 } });
}

/**
 * `response_url` uses counted in the test Redis under a fresh prefix, for senders made in tests;
 * `close` deletes its keys and disconnects.
 */
export function testResponseUrlUses(options: ResponseUrlUsesOptions = {}): {
  uses: ResponseUrlUses;
  redis: Redis;
  close(): Promise<void>;
} {
  const redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: 1 });
  const prefix = testPrefix();
  return {
    uses: new ResponseUrlUses(redis, prefix, options),
    redis,
    async close() {
      await deleteKeys(TEST_REDIS_URL, prefix);
      redis.disconnect();
    },
  };
}

/** A reply sender of the fake's bot as the Slack adapter makes it, with its `response_url` uses. */
export function fakeSlackReplySender(fake: FakeSlack, uses: ResponseUrlUses, logger: Logger = silentLogger) {
  return new SlackReplySender({ client: fakeSlackWebClient(fake, logger), logger, uses });
}

/** The Slack adapter, a bot with it and a generation worker on `modelsDir`, started against `fake`. */
export interface SlackPipeline {
  adapter: SlackChatAdapter;
  /** Stops the worker, the bot and the adapter's Redis connection (the caller stops `fake`). */
  close(): Promise<void>;
}

export async function startSlackPipeline(
  fake: FakeSlack,
  run: { signingSecret: string; prefix: string; modelsDir: string },
  options: {
    now?: () => number;
    loadGenerator?: (dir: string) => Promise<TextGenerator>;
    /** The worker's reader of a channel's context (`/settings context on`). */
    recentContext?: TestWorkerOptions['recentContext'];
    /** Settings of the bot process (rate limits). */
    botConfig?: Partial<BotConfig>;
    /** The bot's chatter draw. */
    random?: () => number;
  } = {},
): Promise<SlackPipeline> {
  const urlRedis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: 1 });
  const { signingSecret, prefix, modelsDir } = run;
  const adapterOptions = options.now ? { now: options.now } : {};
  const adapter = fakeSlackAdapter(fakeSlackConfig(fake, signingSecret, prefix), urlRedis, adapterOptions);
  const bot = await startTestBot(TEST_REDIS_URL, prefix, modelsDir, [adapter], options.botConfig, {
    random: options.random,
  });
  const { loadGenerator, recentContext } = options;
  const workerOptions = { ...(loadGenerator && { loadGenerator }), ...(recentContext && { recentContext }) };
  const worker = await startTestWorker(TEST_REDIS_URL, prefix, modelsDir, workerOptions);
  return {
    adapter,
    async close() {
      await worker.close(5_000);
      await bot.close();
      urlRedis.disconnect();
    },
  };
}

/**
 * A started fake Slack with an admin (`UADMIN`) and a member (`UMEMBER`), and the Slack pipeline on it
 * with `botConfig` (and `worker`'s generator and context reader); both are closed by the `closers` (a
 * pipeline scope's) after the test.
 */
export async function startSlackWithUsers(
  run: { signingSecret: string; prefix: string; modelsDir: string; closers: (() => Promise<void>)[] },
  botConfig: Partial<BotConfig> = {},
  extras: { worker?: Pick<TestWorkerOptions, 'loadGenerator' | 'recentContext'>; random?: () => number } = {},
): Promise<{ fake: FakeSlack; adapter: SlackChatAdapter }> {
  const fake = new FakeSlack();
  await fake.start();
  run.closers.push(() => fake.stop());
  fake.users.set('UADMIN', { is_admin: true });
  fake.users.set('UMEMBER', { is_admin: false });
  const pipeline = await startSlackPipeline(fake, run, { botConfig, ...extras.worker, random: extras.random });
  run.closers.push(() => pipeline.close());
  return { fake, adapter: pipeline.adapter };
}
