import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { ChannelRef } from '../commands/channel-ref.js';
import { Worker } from 'bullmq';
import type { TextGenerator } from '../model/sampling/text-generator.js';
import type { Logger } from '../ops/logger.js';
import type { Metrics } from '../ops/metrics.js';
import { settlesWithin } from '../ops/settles-within.js';
import { GENERATE_QUEUE } from '../queue/queue-names.js';
import { createWorkerRedis } from '../queue/redis-connections.js';
import { ReplyOutbox } from '../queue/reply-outbox.js';
import { createGenerationProcessor, type LoadedModel, type ReplyMemory } from './generation-processor.js';
import { subscribeModelAnnouncements } from '../queue/model-announcements.js';
import { ModelCache } from './model-cache.js';
import type { ModelPaths } from '../model/store/model-location.js';
import { ModelResolver } from '../model/store/model-resolver.js';
import { noModelError } from './no-model-error.js';
import { WorkerHeartbeat } from '../queue/worker-heartbeat.js';
import { logRedisErrors } from '../ops/log-redis-errors.js';

export interface GenerationWorkerOptions {
  redisUrl: string;
  prefix: string;
  /** The model store and the base model (`modelPaths(config)`). */
  models: ModelPaths;
  /** Loads a model folder into a `TextGenerator` (the model's `loadModel`, or a test double). */
  loadGenerator: (dir: string) => Promise<TextGenerator>;
  /** TensorFlow backend name, shown by `/status`. */
  backend: string;
  logger: Logger;
  metrics?: Metrics;
  /** Reads a channel's recent stored messages on the worker's connection (jobs with `context` on). */
  recentContext?: (redis: Redis) => (channel: ChannelRef, prompt: string) => Promise<string[]>;
  /** The channel's recent replies on the worker's connection, which new replies avoid repeating (none: off). */
  recentReplies?: (redis: Redis) => ReplyMemory;
  /** BullMQ jobs in flight at once: how many requests can share a batch. */
  concurrency: number;
  batchMax: number;
  batchWaitMs: number;
  cacheSize: number;
  timeoutMs: number;
  lockMs: number;
  stalledIntervalMs: number;
  modelCheckMs: number;
}

export interface GenerationWorker {
  readonly id: string;
  /** Resolves when the base model is installed; rejects saying where it was looked for otherwise (`/healthz`). */
  checkBaseModel(): Promise<void>;
  /** Stops taking jobs, waits up to `timeoutMs` for jobs in flight, then lets go of the rest. */
  close(timeoutMs: number): Promise<void>;
}

/**
 * A generation worker: consumes `generate` jobs with `concurrency` in flight so concurrent requests for
 * one model share a batch; a job whose worker dies (kill -9) is taken over by another worker once its
 * lock (`lockMs`) expires and a stalled check (`stalledIntervalMs`) sees it.
 */
export async function startGenerationWorker(options: GenerationWorkerOptions): Promise<GenerationWorker> {
  const { logger, metrics } = options;
  const id = `w-${randomUUID()}`;
  // One listener for the three: a Redis outage is written once, not once per connection.
  const onRedisError = logRedisErrors(logger, 'generation worker Redis connection');
  const connection = workerRedis(options.redisUrl, onRedisError);
  const commands = workerRedis(options.redisUrl, onRedisError);
  const subscriber = workerRedis(options.redisUrl, onRedisError);

  const resolver = new ModelResolver(options.models, options.modelCheckMs);
  const cache = createModelCache(options);
  await subscribeModelAnnouncements(subscriber, options.prefix, (key) => {
    logger.info({ channel: key }, 'new model version announced');
    resolver.invalidate(key);
  });

  const outbox = new ReplyOutbox(commands, options.prefix);
  const { loadGenerator, timeoutMs } = options;
  const batch = { maxBatch: options.batchMax, waitMs: options.batchWaitMs };
  const baseModelDir = options.models.baseModelDir;
  const deps = { resolver, cache, loadGenerator, outbox, batch, timeoutMs, baseModelDir, logger, metrics };
  const processor = createGenerationProcessor({
    ...deps,
    recentContext: options.recentContext?.(commands),
    recentReplies: options.recentReplies?.(commands),
  });
  const worker = new Worker(GENERATE_QUEUE, processor, {
    connection,
    prefix: options.prefix,
    name: id,
    concurrency: options.concurrency,
    lockDuration: options.lockMs,
    stalledInterval: options.stalledIntervalMs,
    maxStalledCount: 1,
  });
  worker.on('error', logRedisErrors(logger, 'generation worker'));
  worker.on('stalled', (jobId) => logger.warn({ jobId }, 'job stalled (its worker died?): retrying it'));

  const heartbeat = new WorkerHeartbeat(commands, options.prefix, WorkerHeartbeat.describe(id, options.backend));
  await heartbeat.start();
  await worker.waitUntilReady();
  const { concurrency, batchMax } = options;
  logger.info({ workerId: id, concurrency, batchMax }, 'generation worker ready');
  const checkBaseModel = async () => {
    if (!(await resolver.resolveBase())) throw noModelError(options.models.baseModelDir);
  };
  await checkBaseModel().catch((error: Error) => logMissingBaseModel(logger, options.models.baseModelDir, error));

  return {
    id,
    checkBaseModel,
    async close(timeoutMs: number) {
      if (!(await settlesWithin(worker.close(), timeoutMs))) {
        logger.warn({ timeoutMs }, 'jobs still running at the shutdown deadline: leaving them to other workers');
        await settlesWithin(worker.close(true), 2_000);
      }
      await settlesWithin(heartbeat.stop(), 1_000);
      await settlesWithin(outbox.close(), 2_000);
      cache.clear();
      await Promise.all(
        [connection, commands, subscriber].map((r) => settlesWithin(r.quit(), 1_000).then(() => r.disconnect())),
      );
    },
  };
}

/** The worker's models in memory: loads and evictions logged and counted, an evicted model disposed. */
function createModelCache(options: Pick<GenerationWorkerOptions, 'cacheSize' | 'logger' | 'metrics'>) {
  const { logger, metrics } = options;
  const cache: ModelCache<LoadedModel> = new ModelCache<LoadedModel>(
    options.cacheSize,
    (model, key) => {
      logger.info({ model: key }, 'model evicted and disposed');
      model.generator.dispose();
    },
    {
      onLoad: (key) => {
        metrics?.modelLoads.inc();
        metrics?.modelCacheSize.set(cache.size);
        logger.info({ model: key }, 'model loaded');
      },
      onEvict: () => {
        metrics?.modelEvictions.inc();
        metrics?.modelCacheSize.set(cache.size);
      },
    },
  );
  return cache;
}

/** A connection for the worker (`createWorkerRedis`), retried forever, its errors to `onError`. */
function workerRedis(redisUrl: string, onError: (error: unknown) => void) {
  const redis = createWorkerRedis(redisUrl);
  redis.on('error', onError);
  return redis;
}

function logMissingBaseModel(logger: Logger, baseModelDir: string, error: Error): void {
  logger.error(
    { baseModelDir },
    `${error.message}: channels without their own model get no answer, and /healthz says 503, until it is installed`,
  );
}
