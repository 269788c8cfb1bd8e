import { mkdtemp, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { freePort } from '../../src/main/private-redis.js';
import { CliProcess } from '../helpers/cli-process.js';
import { OwnRedis } from '../helpers/own-redis.js';
import { deleteKeys, removeDir, TEST_REDIS_URL, testPrefix } from '../helpers/redis-test-env.js';

async function healthz(port: number): Promise<{ status: number; body: { status: string; reason?: string } }> {
  const response = await fetch(`http://127.0.0.1:${port}/healthz`);
  return { status: response.status, body: (await response.json()) as { status: string; reason?: string } };
}

describe('worker, trainer and start processes (the compiled CLI: run `npm run build` first)', () => {
  const processes: CliProcess[] = [];
  let ownRedis: OwnRedis | undefined;
  let workDir: string;
  let prefix: string;

  beforeEach(async () => {
    prefix = testPrefix();
    workDir = await mkdtemp(join(tmpdir(), 'lstm-bot-health-'));
    await symlink(resolve('test/fixtures/models/tiny'), join(workDir, 'base'));
  });

  afterEach(async () => {
    await Promise.all(processes.splice(0).map((p) => p.stop()));
    await ownRedis?.stop();
    ownRedis = undefined;
    await deleteKeys(TEST_REDIS_URL, prefix);
    await removeDir(workDir);
  });

  function run(command: string, env: Record<string, string>): CliProcess {
    const child = new CliProcess([command], {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      QUEUE_PREFIX: prefix,
      MODELS_DIR: workDir,
      DATA_DIR: join(workDir, 'data'),
      LOG_FORMAT: 'json',
      LOG_LEVEL: 'info',
      HEALTH_PORT: '0',
      ...env,
    });
    processes.push(child);
    return child;
  }

  it('pointed at a dead Redis, warn at the first failure (where and why, no password), answer /healthz with 503 and the reason, and go on once Redis is up', async () => {
    const port = await freePort();
    const env = { REDIS_URL: `redis://:s3cret-pw@127.0.0.1:${port}` };
    const started = ['worker', 'trainer', 'start'].map((command) => run(command, env));

    for (const child of started) {
      const warning = await child.waitForLog((l) => l.level === 40 && l.code === 'ECONNREFUSED');
      expect(warning.msg).toContain(`Redis not reachable at redis://***@127.0.0.1:${port}: ECONNREFUSED`);
      const health = await healthz(await child.healthPort());
      expect(health.status).toBe(503);
      expect(health.body.reason).toBe(`Redis not reachable at redis://***@127.0.0.1:${port}: ECONNREFUSED`);
    }

    ownRedis = await OwnRedis.start(port);
    for (const child of started) {
      await child.waitForLog((l) => l.msg === 'Redis reachable again');
      const healthPort = await child.healthPort();
      await vi.waitFor(async () => expect((await healthz(healthPort)).status).toBe(200), { timeout: 30_000 });
    }
    // The worker and trainer went on with their work once Redis answered.
    await started[0]!.waitForLog((l) => l.msg === 'generation worker ready');
    await started[1]!.waitForLog((l) => l.msg === 'trainer ready');
    for (const child of started) {
      expect(child.output.join('\n')).not.toContain('s3cret-pw');
      // Warned once, not at every reconnection attempt.
      expect(child.lines.filter((l) => l.level === 40 && l.code === 'ECONNREFUSED')).toHaveLength(1);
    }
  }, 240_000);

  it("under `start`, a Redis that goes away and comes back leaves only JSON log lines on stderr, each connection's error written once", async () => {
    ownRedis = await OwnRedis.start();
    const child = run('start', { REDIS_URL: ownRedis.url });
    await child.waitForLog((l) => l.msg === 'bot ready');
    await ownRedis.stop();
    await child.waitForLog((l) => l.level === 40 && l.code === 'ECONNREFUSED');
    await ownRedis.start();
    await child.waitForLog((l) => l.msg === 'Redis reachable again');

    // ioredis writes "[ioredis] Unhandled error event: ..." and a stack for a client without an error listener.
    const tensorflowNotes = /^(WARNING: All log messages before absl|I0000 .*port\.cc)/;
    expect(child.output.filter((line) => !line.startsWith('{') && !tensorflowNotes.test(line))).toEqual([]);
    const warnings = child.lines.filter((l) => l.level === 40 && typeof l.source === 'string');
    expect(warnings.length).toBeGreaterThan(0);
    const perReason = new Map<string, number>();
    for (const l of warnings) perReason.set(l.msg, (perReason.get(l.msg) ?? 0) + 1);
    expect([...perReason].filter(([, count]) => count > 1)).toEqual([]);
  }, 180_000);

  it('a second worker on the host whose health port is taken serves /healthz and /metrics on the next free port and says where', async () => {
    const healthPort = await freePort();
    const env = { REDIS_URL: TEST_REDIS_URL, HEALTH_PORT: String(healthPort) };
    const first = run('worker', env);
    expect(await first.healthPort()).toBe(healthPort);
    const second = run('worker', env);
    const moved = await second.waitForLog((l) => l.level === 40 && l.wanted === healthPort);
    const secondPort = moved.port as number;
    expect(secondPort).toBeGreaterThan(healthPort);
    expect(moved.msg).toContain(`health port ${healthPort} is in use`);
    expect(moved.msg).toContain(`/healthz and /metrics are on port ${secondPort} instead`);

    await Promise.all([first, second].map((w) => w.waitForLog((l) => l.msg === 'generation worker ready')));
    for (const port of [healthPort, secondPort]) {
      expect((await healthz(port)).status).toBe(200);
      const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
      expect(metrics).toMatch(/^lstm_bot_workers_alive 2$/m);
      expect(metrics).toMatch(/^lstm_bot_redis_up 1$/m);
      expect(metrics).toMatch(/^lstm_bot_queue_jobs\{queue="generate",state="waiting"\} 0$/m);
    }
  }, 180_000);
});
