import { createMetrics } from '../ops/metrics.js';
import type { GenerationWorker } from '../worker/generation-worker.js';
import { onShutdown, startProcess } from './process-runtime.js';
import { resolveRedis } from './resolve-redis.js';
import { startWorker } from './worker.js';
import { startProcessHealth } from './start-process-health.js';

/** `lstm-bot worker`: one generation worker; run any number, on any hosts, against one Redis. */
export async function runWorker(): Promise<void> {
  const runtime = startProcess('lstm-bot-worker');
  if (!runtime) return;
  const { config, logger } = runtime;
  const { url } = await resolveRedis(config, logger, { allowPrivate: false });
  const metrics = createMetrics();
  // Health first: while Redis is unreachable the worker waits for it, and /healthz says why.
  const health = await startProcessHealth({ config, redisUrl: url, metrics, logger });
  let worker: GenerationWorker | undefined;
  onShutdown(logger, async () => {
    await worker?.close(config.SHUTDOWN_TIMEOUT_MS);
    await health.close();
  });
  worker = await startWorker({ config, redisUrl: url, logger, metrics });
}
