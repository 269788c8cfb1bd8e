import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { Gauge, type Registry } from 'prom-client';
import { aliveWorkers } from '../queue/worker-heartbeat.js';
import { settlesWithin } from './settles-within.js';

/** The job states an operator alerts on. */
export const QUEUE_STATES = ['waiting', 'active', 'delayed', 'failed'] as const;

export interface PipelineGaugesOptions {
  /** A fail-fast connection: a scrape while Redis is down must not wait for it. */
  redis: Redis;
  prefix: string;
  queues: readonly string[];
  /** Longest a scrape waits for Redis. */
  timeoutMs?: number;
}

/**
 * Gauges read from Redis at each scrape, the same from every process: jobs per queue and state, workers
 * whose heartbeat is fresh, and whether Redis answers (`lstm_bot_redis_up`, 0 while it does not; the
 * other two then have no samples). Returns a function that removes them and closes the queues' handles.
 */
export function registerPipelineGauges(registry: Registry, options: PipelineGaugesOptions): () => Promise<void> {
  const queues = options.queues.map((name) => {
    const queue = new Queue(name, { connection: options.redis, prefix: options.prefix });
    queue.on('error', () => undefined);
    return queue;
  });
  const read = async () => {
    const counts = await Promise.all(queues.map((q) => q.getJobCounts(...QUEUE_STATES)));
    const workers = await aliveWorkers(options.redis, options.prefix);
    return { counts, workers: workers.length };
  };
  // prom-client collects every metric of a scrape at once: the three gauges share one read of Redis.
  let reading: Promise<Awaited<ReturnType<typeof read>> | undefined> | undefined;
  const shared = () =>
    (reading ??= Promise.race([
      read().catch(() => undefined),
      new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), options.timeoutMs ?? 1_000).unref()),
    ]).finally(() => (reading = undefined)));

  const registers = [registry];
  new Gauge({
    name: 'lstm_bot_queue_jobs',
    help: 'Jobs per queue and state (waiting, active, delayed, failed)',
    labelNames: ['queue', 'state'] as const,
    registers,
    async collect() {
      const value = await shared();
      this.reset();
      value?.counts.forEach((counts, i) => {
        for (const state of QUEUE_STATES) this.set({ queue: options.queues[i], state }, counts[state] ?? 0);
      });
    },
  });
  new Gauge({
    name: 'lstm_bot_workers_alive',
    help: 'Generation workers whose heartbeat is under 15 s old, on any host',
    registers,
    async collect() {
      const value = await shared();
      this.reset();
      if (value) this.set(value.workers);
    },
  });
  new Gauge({
    name: 'lstm_bot_redis_up',
    help: '1 while Redis answers, else 0',
    registers,
    async collect() {
      this.set((await shared()) ? 1 : 0);
    },
  });
  return async () => {
    for (const name of ['lstm_bot_queue_jobs', 'lstm_bot_workers_alive', 'lstm_bot_redis_up'])
      registry.removeSingleMetric(name);
    await Promise.all(queues.map((q) => settlesWithin(q.close(), 1_000)));
  };
}
