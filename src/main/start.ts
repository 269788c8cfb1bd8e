import { ConsoleChannel } from '../adapters/console/console-channel.js';
import type { Redis } from 'ioredis';
import type { ChatAdapter } from '../commands/chat-adapter.js';
import type { Config } from '../config/schema.js';
import type { Logger } from '../ops/logger.js';
import type { Metrics } from '../ops/metrics.js';
import type { ReplyJobData } from '../queue/reply-job.js';
import { createMetrics } from '../ops/metrics.js';
import { isCodedError } from '../errors/coded-error.js';
import { ConsoleSessionLease } from '../queue/console-session-lease.js';
import { createWorkerRedis } from '../queue/redis-connections.js';
import { renderReply } from '../replies/reply-catalogue.js';
import type { GenerationWorker } from '../generation/generation-worker.js';
import { startBot, type Bot } from './start-bot.js';
import { platformAdapters } from './platform-adapters.js';
import { onShutdown, startProcess } from './process-runtime.js';
import { resolveRedis } from './resolve-redis.js';
import { startTrainer, type Trainer } from './start-trainer.js';
import { startWorker } from './start-worker.js';
import { startProcessHealth } from './start-process-health.js';
import { createCommandRedis } from './command-redis.js';
import { logRedisErrors } from '../ops/log-redis-errors.js';

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

  const redis = await resolveRedisOrSayHow(config, logger);
  if (!redis) return;

  // What bot processes share about reply addresses (Slack's response_url uses).
  const adapterRedis = createCommandRedis(redis.url, config, logger, 'adapter Redis connection');
  let adapters: ChatAdapter[] = await platformAdapters(config, logger, adapterRedis);
  const metrics = createMetrics();
  // Filled in as each part starts; a signal before then stops what has started.
  const running: Running = {};
  // Health first: while Redis is unreachable the worker and trainer wait for it, and /healthz says why.
  const queues = adapters.map((a) => a.replyQueue);
  const baseModel = async () =>
    running.worker ? running.worker.checkBaseModel() : Promise.reject(new Error('starting'));
  const health = await startProcessHealth({
    config,
    redisUrl: redis.url,
    metrics,
    logger,
    queues,
    checks: [baseModel],
  });
  // The console holds a session of its own: its reply queue is nobody else's (claimed once Redis
  // answers; /healthz says why meanwhile).
  let session: ConsoleSession | undefined;
  if (adapters.length === 0) {
    try {
      session = await claimConsoleSession(redis.url, config, logger);
    } catch (error) {
      adapterRedis.disconnect();
      await health.close();
      await redis.private?.stop();
      if (!isCodedError(error, 'CONSOLE_SESSION_BUSY')) throw error;
      console.error(`lstm-bot: ${error.message}`);
      process.exitCode = 2;
      return;
    }
  }
  const console_ = session && consoleChannel(session, interactive, logger);
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
  const onPosted = (reply: ReplyJobData) => console_?.posted(reply);
  await startParts(running, { config, redisUrl: redis.url, logger, metrics, adapters, onPosted });
  if (console_) {
    await awaitConsoleEnd(console_);
    await shutdown();
  }
}

interface Running {
  worker?: GenerationWorker;
  trainer?: Trainer;
  bot?: Bot;
}

/** Starts the worker, the trainer and the bot, in that order, each noted in `running` once it runs. */
async function startParts(
  running: Running,
  options: { config: Config; redisUrl: string; logger: Logger; metrics: Metrics; adapters: ChatAdapter[] } & Pick<
    Parameters<typeof startBot>[0],
    'onPosted'
  >,
): Promise<void> {
  const { config, redisUrl, logger, metrics } = options;
  running.worker = await startWorker({ config, redisUrl, logger, metrics });
  running.trainer = await startTrainer({ config, redisUrl, logger, metrics });
  running.bot = await startBot({
    config,
    redisUrl,
    adapters: options.adapters,
    logger,
    metrics,
    onPosted: options.onPosted,
  });
}

/** Redis as `resolveRedis` finds or starts it; undefined (exit code 1) after saying how to get one. */
async function resolveRedisOrSayHow(config: Config, logger: Logger) {
  try {
    return await resolveRedis(config, logger, { allowPrivate: true });
  } catch (error) {
    if (!isCodedError(error, 'REDIS_MISSING')) throw error;
    console.error(error.message);
    process.exitCode = 1;
    return undefined;
  }
}

interface ConsoleSession {
  lease: ConsoleSessionLease;
  redis: Redis;
}

/** Claims the console's session (`CONSOLE_SESSION` or one of this host's); throws `CONSOLE_SESSION_BUSY`. */
async function claimConsoleSession(redisUrl: string, config: Config, logger: Logger): Promise<ConsoleSession> {
  const sessionRedis = createWorkerRedis(redisUrl);
  sessionRedis.on('error', logRedisErrors(logger, 'console session Redis connection'));
  try {
    const lease = await ConsoleSessionLease.claim(sessionRedis, {
      prefix: config.QUEUE_PREFIX,
      requested: config.CONSOLE_SESSION,
      logger,
    });
    return { lease, redis: sessionRedis };
  } catch (error) {
    sessionRedis.disconnect();
    throw error;
  }
}

function consoleChannel(session: ConsoleSession, interactive: boolean, logger: Logger): ConsoleChannel {
  return new ConsoleChannel({
    input: process.stdin,
    output: process.stdout,
    interactive,
    sessionId: session.lease.sessionId,
    pendingStore: session.lease.pendingStore,
    logger,
  });
}

/** Waits for the console's input to end and its answers to come; a script learns from the exit code that one failed or never came. */
async function awaitConsoleEnd(console_: ConsoleChannel): Promise<void> {
  await console_.finished;
  const { failed, missing } = console_.outcome;
  if (failed + missing > 0) {
    console.error(`lstm-bot: ${renderReply('console.failures', { failed, missing })}`);
    process.exitCode = 1;
  }
}
