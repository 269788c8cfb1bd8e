import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** The Prometheus metrics of one process: jobs, latency, errors, batches, model cache, replies. */
export function createMetrics(registry = new Registry()) {
  collectDefaultMetrics({ register: registry, prefix: 'lstm_bot_' });
  const registers = [registry];
  return {
    registry,
    commands: new Counter({
      name: 'lstm_bot_commands_total',
      help: 'Commands handled, by command and outcome',
      labelNames: ['command', 'outcome'] as const,
      registers,
    }),
    jobs: new Counter({
      name: 'lstm_bot_generate_jobs_total',
      help: 'Generate jobs processed, by outcome (answered, duplicate, apology, failed)',
      labelNames: ['outcome'] as const,
      registers,
    }),
    latency: new Histogram({
      name: 'lstm_bot_generate_latency_seconds',
      help: 'From the user asking to the answer being ready to post',
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60],
      registers,
    }),
    errors: new Counter({
      name: 'lstm_bot_errors_total',
      help: 'Errors, by code',
      labelNames: ['code'] as const,
      registers,
    }),
    batchSize: new Histogram({
      name: 'lstm_bot_generate_batch_size',
      help: 'Requests served by one generate call',
      buckets: [1, 2, 4, 8, 16, 32, 64, 128],
      registers,
    }),
    modelCacheSize: new Gauge({ name: 'lstm_bot_model_cache_size', help: 'Models in memory', registers }),
    modelLoads: new Counter({ name: 'lstm_bot_model_loads_total', help: 'Models loaded', registers }),
    modelEvictions: new Counter({ name: 'lstm_bot_model_evictions_total', help: 'Models evicted', registers }),
    repliesPosted: new Counter({
      name: 'lstm_bot_replies_posted_total',
      help: 'Answers and apologies posted to users, by platform',
      labelNames: ['platform', 'outcome'] as const,
      registers,
    }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
