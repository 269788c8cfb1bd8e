import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { startBot, type Bot } from '../main/start-bot.js';
import { createLogger, type Logger } from '../ops/logger.js';
import { deletePrefixedKeys } from '../ops/delete-prefixed-keys.js';
import { aliveWorkers } from '../queue/worker-heartbeat.js';
import { BenchChatAdapter } from './bench-chat-adapter.js';

export interface E2eBenchOptions {
  redisUrl: string;
  /** A model store holding `base/` (the shipped model for real figures). */
  modelsDir: string;
  /** Words per `/continue` (the model may stop earlier at the end of a message). */
  words?: number;
  /** Requests per concurrent client at each level (default 4; c1 runs `max(rounds, 8)`). */
  rounds?: number;
  /** Extra environment for the worker process (e.g. GENERATE_BATCH_WAIT_MS). */
  workerEnv?: NodeJS.ProcessEnv;
  logger?: Logger;
}

export interface E2eBenchRow {
  p50_ms: number;
  p95_ms: number;
  requests_per_s: number;
  requests: number;
}

export interface E2eBenchResult {
  c1: E2eBenchRow;
  c8: E2eBenchRow;
  c32: E2eBenchRow;
}

/**
 * End-to-end `/continue` through Redis and a real generation worker process (`lstm-bot worker`,
 * compiled code): the command handler enqueues, the worker batches and generates, the reply comes back
 * through the reply queue. Closed loop: `c` clients each send their next request when their previous
 * answer arrives. Latency is from `handleCommand` to the reply being posted. Uses a fresh queue prefix
 * and deletes its keys afterwards.
 */
export async function runE2eBench(options: E2eBenchOptions): Promise<E2eBenchResult> {
  const logger = options.logger ?? createLogger({ level: 'warn' });
  const prefix = `bench-${randomUUID()}`;
  const words = options.words ?? 40;
  const rounds = options.rounds ?? 4;
  const worker = spawnWorker(options, prefix);
  const adapter = new BenchChatAdapter('bench');
  let bot: Bot | undefined;
  try {
    bot = await startBot({
      config: {
        QUEUE_PREFIX: prefix,
        MODELS_DIR: options.modelsDir,
        DEFAULT_TEMPERATURE: 0.8,
        DEFAULT_WORDS: words,
        MIN_WORDS: Math.min(8, words),
        MAX_WORDS: Math.max(words, 200),
        MAX_PROMPT_CHARS: 1_000,
        RATE_LIMIT_USER_PER_MINUTE: 0,
        RATE_LIMIT_CHANNEL_PER_MINUTE: 0,
        COMMAND_TIMEOUT_MS: 5_000,
        GENERATE_ATTEMPTS: 1,
        MODEL_CHECK_MS: 60_000,
      },
      redisUrl: options.redisUrl,
      adapters: [adapter],
      logger,
    });
    await waitForWorker(options.redisUrl, prefix, worker);
    const run = (clients: number, perClient: number) => closedLoop(bot!, adapter, clients, perClient, words);
    await run(1, 2); // warm-up: loads the model in the worker
    return { c1: await run(1, Math.max(rounds, 8)), c8: await run(8, rounds), c32: await run(32, rounds) };
  } finally {
    await bot?.close();
    worker.kill('SIGTERM');
    await new Promise((resolve) => (worker.exitCode !== null ? resolve(null) : worker.once('exit', resolve)));
    await deletePrefixedKeys(options.redisUrl, prefix);
  }
}

async function closedLoop(
  bot: Bot,
  adapter: BenchChatAdapter,
  clients: number,
  perClient: number,
  words: number,
): Promise<E2eBenchRow> {
  const latencies: number[] = [];
  const started = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async (_, client) => {
      for (let i = 0; i < perClient; i += 1) {
        const requestId = `r${client}-${i}-${randomUUID().slice(0, 8)}`;
        const replied = adapter.replyFor(requestId);
        const t0 = performance.now();
        const outcome = await bot.handlers.handleCommand(
          { name: 'continue', prompt: 'did you see the game last night', words },
          {
            channel: { platform: 'console', workspace: 'local', channel: 'bench' },
            caller: { userId: `client-${client}`, canManageChannel: false, canManageWorkspace: false },
            replyTo: { platform: 'console', sessionId: adapter.sessionId, channelId: requestId },
          },
        );
        if (!outcome.pendingJobId) throw new Error(`bench request refused: ${outcome.text}`);
        await replied;
        latencies.push(performance.now() - t0);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    p50_ms: round(percentile(latencies, 0.5)),
    p95_ms: round(percentile(latencies, 0.95)),
    requests_per_s: round(latencies.length / seconds),
    requests: latencies.length,
  };
}

function spawnWorker(options: E2eBenchOptions, prefix: string): ChildProcess {
  const bin = fileURLToPath(new URL('../../bin/lstm-bot.js', import.meta.url));
  const child = spawn(process.execPath, [bin, 'worker'], {
    env: {
      ...process.env,
      REDIS_URL: options.redisUrl,
      QUEUE_PREFIX: prefix,
      MODELS_DIR: options.modelsDir,
      HEALTH_PORT: '0',
      LOG_LEVEL: 'warn',
      LOG_FORMAT: 'json',
      ...options.workerEnv,
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  return child;
}

async function waitForWorker(url: string, prefix: string, worker: ChildProcess): Promise<void> {
  const redis = new Redis(url, { maxRetriesPerRequest: 1 });
  try {
    for (let i = 0; i < 600; i += 1) {
      if (worker.exitCode !== null) throw new Error(`the worker exited (code ${worker.exitCode})`);
      if ((await aliveWorkers(redis, prefix)).length > 0) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error('the worker did not start within 60 s');
  } finally {
    redis.disconnect();
  }
}

function percentile(sorted: number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? Number.NaN;
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}
