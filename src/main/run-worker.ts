import { lowerPriority } from '../ops/lower-priority.js';
import { createMetrics } from '../ops/metrics.js';
import { pingRedis } from '../ops/ping-redis.js';
import { onShutdown, startProcess } from './process-runtime.js';
import { resolveRedis } from './resolve-redis.js';
import { startWorker } from './worker.js';
import { startProcessHealth } from './start-process-health.js';

/** `lstm-bot worker`: one generation worker; run any number, on any hosts, against one Redis. */
export async function runWorker(): Promise<void> {
  const runtime = startProcess('lstm-bot-worker');
  if (!runtime) return;
  const { config, logger } = runtime;
  // Before TensorFlow starts its threads; they inherit it.
  lowerPriority(config.WORKER_NICENESS);
  logger.info({ niceness: config.WORKER_NICENESS }, 'generation runs at a lower CPU priority than the bot');
  const { url } = await resolveRedis(config, logger, { allowPrivate: false });
  const metrics = createMetrics();
  const worker = await startWorker({ config, redisUrl: url, logger, metrics });
  const health = await startProcessHealth(
    config,
    metrics.registry,
    async () => void (await pingRedis(url, 1_000)),
    logger,
  );
  onShutdown(logger, async () => {
    await worker.close(config.SHUTDOWN_TIMEOUT_MS);
    await health.close();
  });
}
