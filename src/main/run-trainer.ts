import { createDiscordHistoryReader } from '../adapters/discord/create-discord-history-reader.js';
import { createSlackHistoryReader } from '../adapters/slack/create-slack-history-reader.js';
import type { HistorySource } from '../history/history-source.js';
import { startHealthServer } from '../ops/health-server.js';
import { createMetrics } from '../ops/metrics.js';
import { pingRedis } from '../ops/ping-redis.js';
import { createWorkerRedis } from '../queue/redis-connections.js';
import { ReplyOutbox } from '../queue/reply-outbox.js';
import { baseModelDir } from '../worker/model-location.js';
import { TrainingWorker } from '../worker/training-worker.js';
import { onShutdown, startProcess } from './process-runtime.js';
import { resolveRedis } from './resolve-redis.js';

/**
 * `lstm-bot trainer`: takes `/retrain` jobs from the `train` queue, each trained in its own child
 * process; run one or more on hosts that can write the shared model store. `TRAIN_CONCURRENCY`
 * bounds the trainings at once across all of them.
 */
export async function runTrainer(): Promise<void> {
  const runtime = startProcess('lstm-bot-trainer');
  if (!runtime) return;
  const { config, logger } = runtime;
  const { url } = await resolveRedis(config, logger, { allowPrivate: false });
  const connection = createWorkerRedis(url);
  connection.on('error', (error) => logger.debug({ err: error }, 'redis error (retrying)'));
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
    redisUrl: url,
    prefix: config.QUEUE_PREFIX,
    outbox,
    logger,
    modelsDir: config.MODELS_DIR,
    baseModelDir: config.BASE_MODEL_DIR ?? baseModelDir(config.MODELS_DIR),
    maxStoredMessages: config.RETRAIN_MAX_MESSAGES,
    keepRawHistory: config.KEEP_RAW_HISTORY,
    keepVersions: config.RETRAIN_KEEP_VERSIONS,
    concurrency: config.TRAIN_CONCURRENCY,
    timeLimitMs: config.TRAIN_TIME_LIMIT_MS,
  });
  const metrics = createMetrics();
  const health = await startHealthServer({
    port: config.HEALTH_PORT,
    registry: metrics.registry,
    check: async () => void (await pingRedis(url, 1_000)),
    logger,
  });
  logger.info({ concurrency: config.TRAIN_CONCURRENCY }, 'trainer ready');
  onShutdown(logger, async () => {
    await trainer.close();
    await outbox.close();
    await health.close();
    connection.disconnect();
  });
}
