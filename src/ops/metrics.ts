import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * The Prometheus metrics of one process: commands, generation, training, replies, the model cache. The
 * pipeline's shared state (queue depths, workers alive, Redis up) is added by `registerPipelineGauges`.
 */
export function createMetrics(registry = new Registry()) {
  collectDefaultMetrics({ register: registry, prefix: 'lstm_bot_' });
  const registers = [registry];
  // Created (and so listed on /metrics) in this order.
  return {
    registry,
    ...requestMetrics(registers),
    ...deliveryMetrics(registers),
    ...modelMetrics(registers),
  };
}

/** Commands, generate jobs and their errors. */
function requestMetrics(registers: Registry[]) {
  return {
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
  };
}

/** The model cache, replies posted, platform acknowledgements. */
function deliveryMetrics(registers: Registry[]) {
  return {
    modelCacheSize: new Gauge({ name: 'lstm_bot_model_cache_size', help: 'Models in memory', registers }),
    modelLoads: new Counter({ name: 'lstm_bot_model_loads_total', help: 'Models loaded', registers }),
    modelEvictions: new Counter({ name: 'lstm_bot_model_evictions_total', help: 'Models evicted', registers }),
    repliesPosted: new Counter({
      name: 'lstm_bot_replies_posted_total',
      help: 'Answers and apologies posted to users, by platform',
      labelNames: ['platform', 'outcome'] as const,
      registers,
    }),
    replyDeliveryFailures: new Counter({
      name: 'lstm_bot_reply_delivery_failures_total',
      help: "Failed attempts to post a reply, by platform and the error's code",
      labelNames: ['platform', 'code'] as const,
      registers,
    }),
    ackSeconds: new Histogram({
      name: 'lstm_bot_platform_ack_seconds',
      help: 'From a platform request reaching the bot to its acknowledgement (Discord allows 3 s, Slack 3 s)',
      labelNames: ['platform'] as const,
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 3, 5],
      registers,
    }),
  };
}

/** Generation by model, and trainings. */
function modelMetrics(registers: Registry[]) {
  return {
    generatedTokens: new Counter({
      name: 'lstm_bot_generated_tokens_total',
      help: 'Tokens generated, by model (base or channel); rate() gives tokens per second',
      labelNames: ['model'] as const,
      registers,
    }),
    generationSeconds: new Histogram({
      name: 'lstm_bot_generation_seconds',
      help: "One request's generation (batching wait included), by model (base or channel)",
      labelNames: ['model'] as const,
      buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30],
      registers,
    }),
    trainingJobs: new Counter({
      name: 'lstm_bot_training_jobs_total',
      help: 'Training runs ended, by outcome (published, not_improved, cancelled, failed, retried)',
      labelNames: ['outcome'] as const,
      registers,
    }),
    trainingPhase: new Gauge({
      name: 'lstm_bot_training_phase',
      help: "This trainer's trainings in each phase (collecting, reading, loading, resumed, training, evaluating, publishing)",
      labelNames: ['phase'] as const,
      registers,
    }),
    trainingProgress: new Gauge({
      name: 'lstm_bot_training_progress_ratio',
      help: 'Progress of each running training (0 to 1), by train job id',
      labelNames: ['job'] as const,
      registers,
    }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
