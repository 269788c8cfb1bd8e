import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

type MetricSpec = { name: string; help: string; labels?: readonly string[] } & (
  { kind: 'counter' | 'gauge' } | { kind: 'histogram'; buckets: readonly number[] }
);

/** Every metric of the app by the name the code uses; the README's table lists each `name`. */
const METRICS = {
  commands: {
    kind: 'counter',
    name: 'lstm_bot_commands_total',
    help: 'Commands handled, by command and outcome',
    labels: ['command', 'outcome'],
  },
  jobs: {
    kind: 'counter',
    name: 'lstm_bot_generate_jobs_total',
    help: 'Generate jobs processed, by outcome (answered, duplicate, apology, failed)',
    labels: ['outcome'],
  },
  latency: {
    kind: 'histogram',
    name: 'lstm_bot_generate_latency_seconds',
    help: 'From the user asking to the answer being ready to post',
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60],
  },
  errors: { kind: 'counter', name: 'lstm_bot_errors_total', help: 'Errors, by code', labels: ['code'] },
  batchSize: {
    kind: 'histogram',
    name: 'lstm_bot_generate_batch_size',
    help: 'Requests served by one generate call',
    buckets: [1, 2, 4, 8, 16, 32, 64, 128],
  },
  modelCacheSize: { kind: 'gauge', name: 'lstm_bot_model_cache_size', help: 'Models in memory' },
  modelLoads: { kind: 'counter', name: 'lstm_bot_model_loads_total', help: 'Models loaded' },
  modelEvictions: { kind: 'counter', name: 'lstm_bot_model_evictions_total', help: 'Models evicted' },
  repliesPosted: {
    kind: 'counter',
    name: 'lstm_bot_replies_posted_total',
    help: 'Answers and apologies posted to users, by platform',
    labels: ['platform', 'outcome'],
  },
  replyDeliveryFailures: {
    kind: 'counter',
    name: 'lstm_bot_reply_delivery_failures_total',
    help: "Failed attempts to post a reply, by platform and the error's code",
    labels: ['platform', 'code'],
  },
  ackSeconds: {
    kind: 'histogram',
    name: 'lstm_bot_platform_ack_seconds',
    help: 'From a platform request reaching the bot to its acknowledgement (Discord allows 3 s, Slack 3 s)',
    labels: ['platform'],
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 3, 5],
  },
  generatedTokens: {
    kind: 'counter',
    name: 'lstm_bot_generated_tokens_total',
    help: 'Tokens generated, by model (base or channel); rate() gives tokens per second',
    labels: ['model'],
  },
  generationSeconds: {
    kind: 'histogram',
    name: 'lstm_bot_generation_seconds',
    help: "One request's generation (batching wait included), by model (base or channel)",
    labels: ['model'],
    buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30],
  },
  trainingJobs: {
    kind: 'counter',
    name: 'lstm_bot_training_jobs_total',
    help: 'Training runs ended, by outcome (published, not_improved, cancelled, failed, retried)',
    labels: ['outcome'],
  },
  trainingPhase: {
    kind: 'gauge',
    name: 'lstm_bot_training_phase',
    help: "This trainer's trainings in each phase (collecting, reading, loading, resumed, training, evaluating, publishing)",
    labels: ['phase'],
  },
  trainingProgress: {
    kind: 'gauge',
    name: 'lstm_bot_training_progress_ratio',
    help: 'Progress of each running training (0 to 1), by train job id',
    labels: ['job'],
  },
} as const satisfies Record<string, MetricSpec>;

type LabelOf<S> = S extends { labels: readonly (infer L extends string)[] } ? L : string;
type MetricOf<S> = S extends { kind: 'counter' }
  ? Counter<LabelOf<S>>
  : S extends { kind: 'gauge' }
    ? Gauge<LabelOf<S>>
    : Histogram<LabelOf<S>>;

export type Metrics = { registry: Registry } & { [K in keyof typeof METRICS]: MetricOf<(typeof METRICS)[K]> };

/**
 * The Prometheus metrics of one process: commands, generation, training, replies, the model cache. The
 * pipeline's shared state (queue depths, workers alive, Redis up) is added by `registerPipelineGauges`.
 */
export function createMetrics(registry = new Registry()): Metrics {
  collectDefaultMetrics({ register: registry, prefix: 'lstm_bot_' });
  const metrics = Object.entries(METRICS).map(([key, spec]) => [key, createMetric(spec, registry)]);
  return { registry, ...Object.fromEntries(metrics) } as Metrics;
}

function createMetric(spec: MetricSpec, registry: Registry): Counter | Gauge | Histogram {
  const options = { name: spec.name, help: spec.help, labelNames: spec.labels ?? [], registers: [registry] };
  switch (spec.kind) {
    case 'counter':
      return new Counter(options);
    case 'gauge':
      return new Gauge(options);
    case 'histogram':
      return new Histogram({ ...options, buckets: [...spec.buckets] });
  }
}
