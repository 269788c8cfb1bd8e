import { ConsoleChannel } from '../adapters/console/console-channel.js';
import type { Redis } from 'ioredis';
import type { ChatAdapter } from '../commands/chat-adapter.js';
import { createMetrics } from '../ops/metrics.js';
import { isCodedError } from '../errors/coded-error.js';
import { ConsoleSessionLease } from '../queue/console-session-lease.js';
import { createFailFastRedis, createWorkerRedis } from '../queue/redis-connections.js';
import { renderReply } from '../replies/reply-catalogue.js';
import type { GenerationWorker } from '../worker/generation-worker.js';
import { startBot, type Bot } from './bot.js';
import { platformAdapters } from './platform-adapters.js';
import { onShutdown, startProcess } from './process-runtime.js';
import { resolveRedis } from './resolve-redis.js';
import { startTrainer, type Trainer } from './trainer.js';
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
    if (!isCodedError(error, 'REDIS_MISSING')) throw error;
    console.error(error.message);
    process.exitCode = 1;
    return;
  }

  // What bot processes share about reply addresses (Slack's response_url uses).
  const adapterRedis = createFailFastRedis(redis.url, { commandTimeoutMs: Math.min(2_000, config.COMMAND_TIMEOUT_MS) });
  adapterRedis.on('error', (error) => logger.debug({ err: error }, 'redis error (retrying)'));
  let adapters: ChatAdapter[] = await platformAdapters(config, logger, adapterRedis);
  const metrics = createMetrics();
  // Filled in as each part starts; a signal before then stops what has started.
  const running: { worker?: GenerationWorker; trainer?: Trainer; bot?: Bot } = {};
  // Health first: while Redis is unreachable the worker and trainer wait for it, and /healthz says why.
  const health = await startProcessHealth({
    config,
    redisUrl: redis.url,
    metrics,
    logger,
    queues: adapters.map((a) => a.replyQueue),
    checks: [async () => (running.worker ? running.worker.checkBaseModel() : Promise.reject(new Error('starting')))],
  });
  // The console holds a session of its own: its reply queue is nobody else's (claimed once Redis
  // answers; /healthz says why meanwhile).
  let session: { lease: ConsoleSessionLease; redis: Redis } | undefined;
  if (adapters.length === 0) {
    const sessionRedis = createWorkerRedis(redis.url);
    try {
      const lease = await ConsoleSessionLease.claim(sessionRedis, {
        prefix: config.QUEUE_PREFIX,
        requested: config.CONSOLE_SESSION,
        logger,
      });
      session = { lease, redis: sessionRedis };
    } catch (error) {
      sessionRedis.disconnect();
      adapterRedis.disconnect();
      await health.close();
      await redis.private?.stop();
      if (!isCodedError(error, 'CONSOLE_SESSION_BUSY')) throw error;
      console.error(`lstm-bot: ${error.message}`);
      process.exitCode = 2;
      return;
    }
  }
  const console_ = session
    ? new ConsoleChannel({
        input: process.stdin,
        output: process.stdout,
        interactive,
        sessionId: session.lease.sessionId,
        pendingStore: session.lease.pendingStore,
        logger,
      })
    : undefined;
  if (console_) adapters = [console_];

  const shutdown = onShutdown(logger, async () => {
    for (const adapter of adapters) await adapter.stop();
    await running.worker?.close(config.SHUTDOWN_TIMEOUT_MS);
    await running.trainer?.close(config.SHUTDOWN_TIMEOUT_MS);
    await running.bot?.close();
    adapterRedis.disconnect();
    // Only once this process no longer takes the session's answers may the next console have it.
    await session?.lease
      .release()
      .catch((error: unknown) => logger.warn({ err: error }, 'could not release the console session'));
    session?.redis.disconnect();
    await health.close();
    await redis.private?.stop();
  });
  running.worker = await startWorker({ config, redisUrl: redis.url, logger, metrics });
  running.trainer = await startTrainer({ config, redisUrl: redis.url, logger, metrics });
  running.bot = await startBot({
    config,
    redisUrl: redis.url,
    adapters,
    logger,
    metrics,
    onPosted: (reply) => console_?.posted(reply),
  });
  if (console_) {
    await console_.finished;
    // A script learns from the exit code that something it asked for failed or never came.
    const { failed, missing } = console_.outcome;
    if (failed + missing > 0) {
      console.error(`lstm-bot: ${renderReply('console.failures', { failed, missing })}`);
      process.exitCode = 1;
    }
    await shutdown();
  }
}
