import type { Config } from '../config/schema.js';
import { startHealthServer } from '../ops/health-server.js';
import type { Logger } from '../ops/logger.js';
import type { Metrics } from '../ops/metrics.js';
import { registerPipelineGauges } from '../ops/pipeline-gauges.js';
import { RedisHealth } from '../ops/redis-health.js';
import { GENERATE_QUEUE } from '../queue/queue-names.js';
import { TRAIN_QUEUE } from '../queue/train-job.js';

/** The queues every process reports the depth of (a console session's own queue is added by `start`). */
export const OBSERVED_QUEUES = [GENERATE_QUEUE, TRAIN_QUEUE, 'replies-discord', 'replies-slack'] as const;

export interface ProcessHealth {
  /** The port of `/healthz` and `/metrics`, or undefined when none could be opened. */
  readonly port: number | undefined;
  close(): Promise<void>;
}

/**
 * A process's `/healthz` and `/metrics` on `HEALTH_HOST:HEALTH_PORT`, up before the process's own work
 * starts (which waits for Redis): healthy while Redis answers and every one of `checks` resolves; the
 * metrics include the pipeline's gauges (queue depths, workers alive, Redis up).
 */
export async function startProcessHealth(options: {
  config: Pick<Config, 'HEALTH_HOST' | 'HEALTH_PORT' | 'QUEUE_PREFIX'>;
  redisUrl: string;
  metrics: Metrics;
  logger: Logger;
  checks?: readonly (() => Promise<void>)[];
  queues?: readonly string[];
}): Promise<ProcessHealth> {
  const redis = new RedisHealth(options.redisUrl, options.logger);
  const closeGauges = registerPipelineGauges(options.metrics.registry, {
    redis: redis.redis,
    prefix: options.config.QUEUE_PREFIX,
    queues: [...new Set([...OBSERVED_QUEUES, ...(options.queues ?? [])])],
  });
  const server = await startHealthServer({
    host: options.config.HEALTH_HOST,
    port: options.config.HEALTH_PORT,
    registry: options.metrics.registry,
    check: async () => {
      await redis.check();
      for (const check of options.checks ?? []) await check();
    },
    logger: options.logger,
  });
  return {
    port: server.port,
    async close() {
      await server.close();
      await closeGauges();
      redis.close();
    },
  };
}
