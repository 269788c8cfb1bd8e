import type { Redis } from 'ioredis';
import type { ChatAdapter, CommandEntry } from '../commands/chat-adapter.js';
import { ChannelMessageHandler } from '../commands/channel-message-handler.js';
import { CommandHandlers } from '../commands/command-handlers.js';
import { commandLimitsFrom } from '../commands/command-limits.js';
import { forgetCommand } from '../commands/forget-command.js';
import { retrainCommand } from '../commands/retrain-command.js';
import { configDefaults, type Config } from '../config/schema.js';
import { RedisHistoryStore } from '../history/redis-history-store.js';
import { RedisLiveHistory } from '../history/redis-live-history.js';
import type { Logger } from '../ops/logger.js';
import type { Metrics } from '../ops/metrics.js';
import { settlesWithin } from '../ops/settles-within.js';
import { PipelineStatus } from '../generation/pipeline-status.js';
import { GenerateProducer } from '../queue/generate-producer.js';
import { createWorkerRedis, waitForRedis } from '../queue/redis-connections.js';
import { createCommandRedis } from './command-redis.js';
import { RedisRateLimiter } from '../queue/redis-rate-limiter.js';
import { RedisReplayGuard } from '../queue/redis-replay-guard.js';
import { ReplyDelivery } from '../queue/reply-delivery.js';
import type { ReplyJobData } from '../queue/reply-job.js';
import { ReplyOutbox } from '../queue/reply-outbox.js';
import { CachedSettingsStore } from '../settings/cached-settings-store.js';
import { RedisSettingsStore } from '../settings/redis-settings-store.js';
import { RedisChatterGate } from '../queue/redis-chatter-gate.js';
import { FailedGenerationSweeper } from '../generation/failed-generation-sweeper.js';
import { modelPaths } from '../model/store/model-location.js';
import { RedisTrainingControl } from '../training/redis-training-control.js';
import { RedisRecentReplies } from '../history/recent-replies.js';
import { logRedisErrors } from '../ops/log-redis-errors.js';

export type BotConfig = Pick<
  Config,
  | 'QUEUE_PREFIX'
  | 'MODELS_DIR'
  | 'BASE_MODEL_DIR'
  | 'DEFAULT_TEMPERATURE'
  | 'DEFAULT_WORDS'
  | 'MIN_WORDS'
  | 'MAX_WORDS'
  | 'MAX_PROMPT_CHARS'
  | 'RATE_LIMIT_USER_PER_MINUTE'
  | 'RATE_LIMIT_CHANNEL_PER_MINUTE'
  | 'COMMAND_TIMEOUT_MS'
  | 'GENERATE_ATTEMPTS'
  | 'MODEL_CHECK_MS'
> &
  Partial<
    Pick<
      Config,
      | 'RETRAIN_DEFAULT_MESSAGES'
      | 'RETRAIN_MAX_MESSAGES'
      | 'RETRAIN_KEEP_VERSIONS'
      | 'RECENT_REPLIES'
      | 'WORKER_LOCK_MS'
      | 'WORKER_STALLED_INTERVAL_MS'
      | 'CHATTER_COOLDOWN_MS'
    >
  >;

export interface BotOptions {
  config: BotConfig;
  redisUrl: string;
  adapters: readonly ChatAdapter[];
  logger: Logger;
  metrics?: Metrics;
  /** Called after each reply is posted, whatever the adapter. */
  onPosted?: (reply: ReplyJobData) => void;
  /** Chatter's draw, uniform in [0, 1) (tests force it); `Math.random` by default. */
  random?: () => number;
}

export interface Bot {
  readonly handlers: CommandHandlers;
  /** The fail-fast connection of the request path (health checks ping it). */
  readonly redis: Redis;
  close(): Promise<void>;
}

/**
 * The bot process: command handlers behind the adapters, and the delivery of finished answers (plus
 * the apology sweep) for the platforms whose adapters it runs.
 */
export async function startBot(options: BotOptions): Promise<Bot> {
  const { config, logger } = options;
  const prefix = config.QUEUE_PREFIX;
  const { redis, workerRedis } = botRedis(options);
  await waitForRedisOrWarn(redis, logger);

  const producer = new GenerateProducer(redis, prefix, { attempts: config.GENERATE_ATTEMPTS });
  const maxMessages = config.RETRAIN_MAX_MESSAGES ?? configDefaults.RETRAIN_MAX_MESSAGES;
  const history = new RedisHistoryStore(redis, prefix, maxMessages);
  const statusOutbox = new ReplyOutbox(redis, prefix);
  const training = new RedisTrainingControl({
    outbox: statusOutbox,
    redis,
    prefix,
    history,
    recentReplies: new RedisRecentReplies(redis, prefix, config.RECENT_REPLIES ?? configDefaults.RECENT_REPLIES),
    modelsDir: config.MODELS_DIR,
    keepVersions: config.RETRAIN_KEEP_VERSIONS ?? configDefaults.RETRAIN_KEEP_VERSIONS,
  });
  const settings = new CachedSettingsStore(new RedisSettingsStore(redis, prefix));
  const replayGuard = new RedisReplayGuard(redis, prefix);
  const handlers = commandHandlers(options, { redis, producer, training, settings, replayGuard, maxMessages });
  const messages = new ChannelMessageHandler({
    commands: handlers,
    settings: { get: settings.cached },
    history: new RedisLiveHistory(history),
    chatter: new RedisChatterGate(redis, prefix, config.CHATTER_COOLDOWN_MS ?? configDefaults.CHATTER_COOLDOWN_MS),
    replayGuard,
    random: options.random,
    logger,
  });
  const entry: CommandEntry = {
    handleCommand: (command, context) => handlers.handleCommand(command, context),
    acknowledged: (platform, elapsedMs) => handlers.acknowledged(platform, elapsedMs),
    handleMessage: (message) => messages.handleMessage(message),
  };

  const outbox = new ReplyOutbox(workerRedis, prefix);
  const sweeper = new FailedGenerationSweeper(producer.queue, outbox, logger);
  const delivery = replyDelivery(options, workerRedis);
  // Closing a BullMQ worker whose connections are still initialising leaves an unhandled rejection
  // behind; a bot that stops right after starting must not crash, so wait for them (bounded: Redis may be down).
  await settlesWithin(delivery.waitUntilReady(), 5_000).catch(() => undefined);
  sweeper.start();
  for (const adapter of options.adapters) await adapter.start(entry);
  logger.info({ adapters: options.adapters.map((a) => a.platform) }, 'bot ready');

  return {
    handlers,
    redis,
    async close() {
      for (const adapter of options.adapters) await settlesWithin(adapter.stop(), 5_000);
      await sweeper.stop();
      // Bounded: with Redis down, BullMQ's close would wait for a reconnection that may never come.
      if (!(await settlesWithin(delivery.close(), 5_000))) await settlesWithin(delivery.close(true), 1_000);
      await settlesWithin(outbox.close(), 2_000);
      await settlesWithin(statusOutbox.close(), 2_000);
      await settlesWithin(producer.close(), 2_000);
      await settlesWithin(training.close(), 2_000);
      await Promise.all([redis, workerRedis].map((r) => settlesWithin(r.quit(), 1_000).then(() => r.disconnect())));
    },
  };
}

/** What the command handlers are built from (besides the options). */
interface HandlerParts {
  redis: Redis;
  producer: GenerateProducer;
  training: RedisTrainingControl;
  settings: CachedSettingsStore;
  replayGuard: RedisReplayGuard;
  maxMessages: number;
}

/** The command handlers of this bot, over its Redis stores and the platforms of its adapters. */
function commandHandlers(options: BotOptions, parts: HandlerParts): CommandHandlers {
  const { config, logger, adapters } = options;
  const { redis, producer, training, settings } = parts;
  const prefix = config.QUEUE_PREFIX;
  return new CommandHandlers({
    settings,
    queue: producer,
    rateLimiter: new RedisRateLimiter(redis, prefix, {
      userPerMinute: config.RATE_LIMIT_USER_PER_MINUTE,
      channelPerMinute: config.RATE_LIMIT_CHANNEL_PER_MINUTE,
    }),
    status: new PipelineStatus({ redis, prefix, queueDepth: () => producer.depth(), models: modelPaths(config) }),
    limits: commandLimitsFrom(config),
    logger,
    timeoutMs: config.COMMAND_TIMEOUT_MS,
    onHandled: (command, outcome) => options.metrics?.commands.inc({ command, outcome }),
    onAcknowledged: (platform, ms) => options.metrics?.ackSeconds.observe({ platform }, ms / 1000),
    retrain: retrainCommand(training, {
      defaultMessages: config.RETRAIN_DEFAULT_MESSAGES ?? configDefaults.RETRAIN_DEFAULT_MESSAGES,
      maxMessages: parts.maxMessages,
      // The trainer reads Discord and Slack history itself; the console has only imported history.
      collectsHistory: (platform) => platform !== 'console' && adapters.some((a) => a.platform === platform),
      learnsLive: async (channel) => (await settings.get(channel)).learning === true,
    }),
    forget: forgetCommand(training),
    replayGuard: parts.replayGuard,
    readsMessages: (platform) => adapters.find((a) => a.platform === platform)?.readsMessages !== false,
  });
}

/** The request path's fail-fast connection and the blocking one of reply delivery. */
function botRedis(options: BotOptions): { redis: Redis; workerRedis: Redis } {
  const { config, logger } = options;
  const redis = createCommandRedis(options.redisUrl, config, logger, 'bot Redis connection');
  const workerRedis = createWorkerRedis(options.redisUrl);
  workerRedis.on('error', logRedisErrors(logger, 'reply delivery Redis connection'));
  return { redis, workerRedis };
}

/** Delivery of finished answers to the platforms of this bot's adapters. */
function replyDelivery(options: BotOptions, connection: Redis): ReplyDelivery {
  const { config } = options;
  return new ReplyDelivery({
    connection,
    prefix: config.QUEUE_PREFIX,
    routes: options.adapters.map((a) => ({ queue: a.replyQueue, sender: a.sender })),
    logger: options.logger,
    metrics: options.metrics,
    onPosted: options.onPosted,
    // A killed bot's replies are taken over like a killed worker's jobs.
    lockMs: config.WORKER_LOCK_MS,
    stalledIntervalMs: config.WORKER_STALLED_INTERVAL_MS,
  });
}

/**
 * The request path fails fast, so this waits for its first connection; if Redis is down, the bot starts
 * anyway: commands answer "temporarily unavailable" until it is back.
 */
async function waitForRedisOrWarn(redis: Redis, logger: Logger): Promise<void> {
  await waitForRedis(redis, 5_000).catch((error: unknown) =>
    logger.warn({ err: error }, 'Redis is not reachable yet; commands will say the bot is unavailable until it is'),
  );
}
