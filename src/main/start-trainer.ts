import { createDiscordHistoryReader } from '../adapters/discord/create-discord-history-reader.js';
import { createSlackHistoryReader } from '../adapters/slack/create-slack-history-reader.js';
import type { Config } from '../config/schema.js';
import type { HistorySource } from '../history/history-source.js';
import type { Logger } from '../ops/logger.js';
import type { Metrics } from '../ops/metrics.js';
import { settlesWithin } from '../ops/settles-within.js';
import { createWorkerRedis } from '../queue/redis-connections.js';
import { ReplyOutbox } from '../queue/reply-outbox.js';
import { modelPaths } from '../model/store/model-location.js';
import { TrainingWorker } from '../training/training-worker.js';
import { logRedisErrors } from '../ops/log-redis-errors.js';

export interface Trainer {
  /** Waits up to `timeoutMs` for a training in progress, then lets go (another trainer runs it again). */
  close(timeoutMs: number): Promise<void>;
}

/** A trainer on the `train` queue, for `lstm-bot trainer` and `lstm-bot start`. */
export async function startTrainer({
  config,
  redisUrl,
  logger,
  metrics,
}: {
  config: Config;
  redisUrl: string;
  logger: Logger;
  metrics?: Metrics;
}): Promise<Trainer> {
  const connection = createWorkerRedis(redisUrl);
  connection.on('error', logRedisErrors(logger, 'trainer Redis connection'));
  const outbox = new ReplyOutbox(connection, config.QUEUE_PREFIX);
  // With a platform token, the trainer brings a channel's stored history up to date before training.
  const discord = createDiscordHistoryReader(config);
  const slack = createSlackHistoryReader(config, logger);
  const historySources: Partial<Record<'discord' | 'slack', HistorySource>> = {};
  if (discord) historySources.discord = (options) => discord(options);
  if (slack) historySources.slack = (options) => slack(options);
  const trainer = await TrainingWorker.start({
    historySources,
    connection,
    redisUrl,
    prefix: config.QUEUE_PREFIX,
    outbox,
    logger,
    metrics,
    ...modelPaths(config),
    maxStoredMessages: config.RETRAIN_MAX_MESSAGES,
    keepRawHistory: config.KEEP_RAW_HISTORY,
    keepVersions: config.RETRAIN_KEEP_VERSIONS,
    concurrency: config.TRAIN_CONCURRENCY,
    timeLimitMs: config.TRAIN_TIME_LIMIT_MS,
    memoryLimitMb: config.TRAIN_MEMORY_LIMIT_MB,
    niceness: config.TRAIN_NICENESS,
  });
  logger.info({ concurrency: config.TRAIN_CONCURRENCY }, 'trainer ready');
  return {
    async close(timeoutMs) {
      if (!(await settlesWithin(trainer.close(), timeoutMs))) await settlesWithin(trainer.close(true), 1_000);
      await settlesWithin(outbox.close(), 2_000);
      connection.disconnect();
    },
  };
}
