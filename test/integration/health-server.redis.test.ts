import { afterEach, describe, expect, it } from 'vitest';
import { startHealthServer, type HealthServer } from '../../src/ops/health-server.js';
import { createMetrics } from '../../src/ops/metrics.js';
import { pingRedis } from '../../src/ops/ping-redis.js';
import { silentLogger, TEST_REDIS_URL } from '../helpers/redis-test-env.js';

describe('/healthz and /metrics', () => {
  let server: HealthServer | undefined;
  afterEach(async () => server?.close());

  it('reports ok while Redis answers, and serves Prometheus metrics with the pipeline series', async () => {
    const metrics = createMetrics();
    metrics.jobs.inc({ outcome: 'answered' });
    server = await startHealthServer({
      port: 0,
      registry: metrics.registry,
      check: async () => void (await pingRedis(TEST_REDIS_URL, 1_000)),
      logger: silentLogger,
    });
    const base = `http://127.0.0.1:${server.port}`;
    const health = await fetch(`${base}/healthz`);
    expect(health.status).toBe(200);
    const text = await (await fetch(`${base}/metrics`)).text();
    expect(text).toContain('lstm_bot_generate_jobs_total{outcome="answered"} 1');
    expect(text).toContain('lstm_bot_generate_latency_seconds_bucket');
    expect(text).toContain('lstm_bot_model_cache_size');
    expect(text).toContain('lstm_bot_errors_total');
  });

  it('answers 503 with the reason when the process cannot work', async () => {
    server = await startHealthServer({
      port: 0,
      registry: createMetrics().registry,
      check: async () => pingRedis('redis://127.0.0.1:1', 500).then(() => undefined),
      logger: silentLogger,
    });
    const response = await fetch(`http://127.0.0.1:${server.port}/healthz`);
    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({ status: 'unavailable' });
  });
});
