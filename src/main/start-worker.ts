import type { Config } from '../config/schema.js';
import type { Logger } from '../ops/logger.js';
import type { Metrics } from '../ops/metrics.js';
import { startGenerationWorker, type GenerationWorker } from '../generation/generation-worker.js';
import { modelPaths } from '../model/store/model-location.js';
import { storedContextReader } from '../history/recent-context.js';
import { RedisRecentReplies } from '../history/recent-replies.js';
import { loadGenerator, modelBackend } from './load-generator.js';

export type WorkerConfig = Pick<
  Config,
  | 'QUEUE_PREFIX'
  | 'MODELS_DIR'
  | 'BASE_MODEL_DIR'
  | 'GENERATE_CONCURRENCY'
  | 'GENERATE_BATCH_MAX'
  | 'GENERATE_BATCH_WAIT_MS'
  | 'MODEL_CACHE_SIZE'
  | 'GENERATE_TIMEOUT_MS'
  | 'WORKER_LOCK_MS'
  | 'WORKER_STALLED_INTERVAL_MS'
  | 'MODEL_CHECK_MS'
  | 'RECENT_REPLIES'
  | 'RECENT_REPLY_PENALTY'
>;

/** The generation worker process (`lstm-bot worker`), also embedded by `lstm-bot start`. */
export async function startWorker(options: {
  config: WorkerConfig;
  redisUrl: string;
  logger: Logger;
  metrics?: Metrics;
}): Promise<GenerationWorker> {
  const { config } = options;
  return startGenerationWorker({
    redisUrl: options.redisUrl,
    prefix: config.QUEUE_PREFIX,
    models: modelPaths(config),
    loadGenerator: (dir) =>
      loadGenerator(dir, {
        maxBatchSize: Math.max(config.GENERATE_BATCH_MAX, 1),
        recentReplyPenalty: config.RECENT_REPLY_PENALTY,
      }),
    backend: await modelBackend(options.logger),
    logger: options.logger.child({ role: 'worker' }),
    recentContext: storedContextReader(config.QUEUE_PREFIX),
    ...(config.RECENT_REPLIES > 0 && {
      recentReplies: (redis) => new RedisRecentReplies(redis, config.QUEUE_PREFIX, config.RECENT_REPLIES),
    }),
    metrics: options.metrics,
    concurrency: config.GENERATE_CONCURRENCY,
    batchMax: config.GENERATE_BATCH_MAX,
    batchWaitMs: config.GENERATE_BATCH_WAIT_MS,
    cacheSize: config.MODEL_CACHE_SIZE,
    timeoutMs: config.GENERATE_TIMEOUT_MS,
    lockMs: config.WORKER_LOCK_MS,
    stalledIntervalMs: config.WORKER_STALLED_INTERVAL_MS,
    modelCheckMs: config.MODEL_CHECK_MS,
  });
}
