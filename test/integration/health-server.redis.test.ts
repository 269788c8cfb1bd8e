import { afterEach, describe, expect, it } from 'vitest';
import { startHealthServer, type HealthServer } from '../../src/ops/health-server.js';
import { createMetrics } from '../../src/ops/metrics.js';
import { pingRedis } from '../../src/ops/ping-redis.js';
import { createLogger } from '../../src/ops/logger.js';
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

  it('moves to the next free port when the one asked for is taken, and says where at warn level', async () => {
    const lines: { level: number; msg: string; port?: number }[] = [];
    const destination = { write: (line: string) => void lines.push(JSON.parse(line) as (typeof lines)[number]) };
    const logger = createLogger({ level: 'info', destination: destination as unknown as NodeJS.WritableStream });
    const taken = await startHealthServer({
      port: 0,
      registry: createMetrics().registry,
      check: async () => {},
      logger,
    });
    try {
      server = await startHealthServer({
        port: taken.port!,
        registry: createMetrics().registry,
        check: async () => {},
        logger,
      });
      expect(server.port).toBeGreaterThan(taken.port!);
      expect((await fetch(`http://127.0.0.1:${server.port}/healthz`)).status).toBe(200);
      const warning = lines.find((l) => l.level === 40);
      expect(warning?.msg).toBe(
        `health port ${taken.port} is in use (another lstm-bot process on this host?): ` +
          `/healthz and /metrics are on port ${server.port} instead; give each process its own HEALTH_PORT`,
      );
    } finally {
      await taken.close();
    }
  });
});
