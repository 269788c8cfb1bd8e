import { createMetrics } from '../ops/metrics.js';
import { modelBackend } from './load-generator.js';
import { onShutdown, startProcess } from './process-runtime.js';
import { resolveRedis } from './resolve-redis.js';
import { startTrainer, type Trainer } from './start-trainer.js';
import { startProcessHealth } from './start-process-health.js';

/**
 * `lstm-bot trainer`: takes `/retrain` jobs from the `train` queue, each trained in its own child
 * process; run one or more on hosts that can write the shared model store. `TRAIN_CONCURRENCY`
 * bounds the trainings at once across all of them.
 */
export async function runTrainerProcess(): Promise<void> {
  const runtime = startProcess('lstm-bot-trainer');
  if (!runtime) return;
  const { config, logger } = runtime;
  const { url } = await resolveRedis(config, logger, { allowPrivate: false });
  const metrics = createMetrics();
  const health = await startProcessHealth({ config, redisUrl: url, metrics, logger });
  // Filled in as each part starts; a signal before then stops what has started.
  const running: { trainer?: Trainer } = {};
  onShutdown(logger, async () => {
    await running.trainer?.close(config.SHUTDOWN_TIMEOUT_MS);
    await health.close();
  });
  // Training runs in child processes that load the same backend: say now if it is the slow one.
  await modelBackend(logger);
  running.trainer = await startTrainer({ config, redisUrl: url, logger, metrics });
}
