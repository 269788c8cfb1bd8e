import { ConsoleChannel } from '../adapters/console/console-channel.js';
import type { ChatAdapter } from '../commands/chat-adapter.js';
import { createMetrics } from '../ops/metrics.js';
import { createFailFastRedis } from '../queue/redis-connections.js';
import { startBot } from './bot.js';
import { platformAdapters } from './platform-adapters.js';
import { RedisMissingError } from './private-redis.js';
import { onShutdown, startProcess } from './process-runtime.js';
import { resolveRedis } from './resolve-redis.js';
import { startTrainer } from './trainer.js';
import { startWorker } from './worker.js';
import { startProcessHealth } from './start-process-health.js';

/**
 * `lstm-bot start` (`npm start`): everything in one process. With a platform token set, the bot runs
 * its platform adapters; with none, the console channel on stdin/stdout (interactive on a terminal,
 * scriptable when piped: it exits once input ends and every answer is printed). Also runs a
 * generation worker and a trainer, and starts a private Redis when none is reachable.
 */
export async function runStart(): Promise<void> {
  const interactive = process.stdin.isTTY === true;
  const runtime = startProcess('lstm-bot', { quiet: interactive });
  if (!runtime) return;
  const { config, logger } = runtime;

  let redis: Awaited<ReturnType<typeof resolveRedis>>;
  try {
    redis = await resolveRedis(config, logger, { allowPrivate: true });
  } catch (error) {
    if (!(error instanceof RedisMissingError)) throw error;
    console.error(error.message);
    process.exitCode = 1;
    return;
  }

  const adapterRedis = createFailFastRedis(redis.url, { commandTimeoutMs: Math.min(2_000, config.COMMAND_TIMEOUT_MS) });
  adapterRedis.on('error', (error) => logger.debug({ err: error }, 'redis error (retrying)'));
  let adapters: ChatAdapter[] = await platformAdapters(config, logger, adapterRedis);
  const console_ =
    adapters.length === 0
      ? new ConsoleChannel({
          input: process.stdin,
          output: process.stdout,
          interactive,
          sessionId: config.CONSOLE_SESSION,
          logger,
        })
      : undefined;
  if (console_) adapters = [console_];

  const metrics = createMetrics();
  const worker = await startWorker({ config, redisUrl: redis.url, logger, metrics });
  const trainer = await startTrainer({ config, redisUrl: redis.url, logger });
  const bot = await startBot({
    config,
    redisUrl: redis.url,
    adapters,
    logger,
    metrics,
    onPosted: (reply) => console_?.posted(reply.generateJobId),
  });
  const health = await startProcessHealth(config, metrics.registry, async () => void (await bot.redis.ping()), logger);
  const shutdown = onShutdown(logger, async () => {
    for (const adapter of adapters) await adapter.stop();
    await worker.close(config.SHUTDOWN_TIMEOUT_MS);
    await trainer.close(config.SHUTDOWN_TIMEOUT_MS);
    await bot.close();
    adapterRedis.disconnect();
    await health.close();
    await redis.private?.stop();
  });
  if (console_) {
    await console_.finished;
    await shutdown();
  }
}
