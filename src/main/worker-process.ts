import { lowerPriority } from '../ops/lower-priority.js';
import { createMetrics } from '../ops/metrics.js';
import type { GenerationWorker } from '../generation/generation-worker.js';
import { onShutdown, startProcess } from './process-runtime.js';
import { resolveRedis } from './resolve-redis.js';
import { startWorker } from './start-worker.js';
import { startProcessHealth } from './start-process-health.js';

/** `lstm-bot worker`: one generation worker; run any number, on any hosts, against one Redis. */
export async function runWorkerProcess(): Promise<void> {
  const runtime = startProcess('lstm-bot-worker');
  if (!runtime) return;
  const { config, logger } = runtime;
  // Before TensorFlow starts its threads; they inherit it.
  lowerPriority(config.WORKER_NICENESS);
  logger.info({ niceness: config.WORKER_NICENESS }, 'generation runs at a lower CPU priority than the bot');
  const { url } = await resolveRedis(config, logger, { allowPrivate: false });
  const metrics = createMetrics();
  // Health first: while Redis is unreachable the worker waits for it, and /healthz says why.
  // Filled in as each part starts; a signal before then stops what has started.
  const running: { worker?: GenerationWorker } = {};
  const health = await startProcessHealth({
    config,
    redisUrl: url,
    metrics,
    logger,
    checks: [async () => (running.worker ? running.worker.checkBaseModel() : Promise.reject(new Error('starting')))],
  });
  onShutdown(logger, async () => {
    await running.worker?.close(config.SHUTDOWN_TIMEOUT_MS);
    await health.close();
  });
  running.worker = await startWorker({ config, redisUrl: url, logger, metrics });
}
