import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { deleteKeys, removeDir, TEST_REDIS_URL, testPrefix } from '../helpers/redis-test-env.js';
import { runCli } from '../helpers/run-cli.js';
import { waitForExit } from '../helpers/spawn-process.js';

/** `MODELS_DIR` an empty folder, the base model elsewhere (`BASE_MODEL_DIR`), as docker-compose sets them. */
describe('BASE_MODEL_DIR outside MODELS_DIR (the compiled CLI: run `npm run build` first)', () => {
  let prefix: string;
  let emptyModels: string;
  let env: NodeJS.ProcessEnv;
  let child: ChildProcess | undefined;

  beforeEach(async () => {
    prefix = testPrefix();
    emptyModels = await mkdtemp(join(tmpdir(), 'lstm-bot-empty-models-'));
    env = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      REDIS_URL: TEST_REDIS_URL,
      QUEUE_PREFIX: prefix,
      MODELS_DIR: emptyModels,
      DATA_DIR: join(emptyModels, 'data'),
      HEALTH_PORT: '0',
      LOG_FORMAT: 'json',
    };
  });

  afterEach(async () => {
    if (child && child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await waitForExit(child);
    }
    child = undefined;
    await deleteKeys(TEST_REDIS_URL, prefix);
    await removeDir(emptyModels);
  });

  it('answers /continue and /status with the shipped base model named by a relative BASE_MODEL_DIR', async () => {
    const run = await runCli(['start'], '/continue hello\n/status\n', { ...env, BASE_MODEL_DIR: 'models/base' });
    expect(run.code).toBe(0);
    const out = run.stdout.trimEnd();
    expect(out).toMatch(/^hello ?\S/m);
    expect(out).not.toContain('No language model is installed');
    expect(out).toMatch(/^Model: the base model, version /m);
  });

  it("serves a worker's /healthz: 503 naming the missing base model, 200 once BASE_MODEL_DIR names one", async () => {
    child = spawnWorker(env);
    const missing = await healthUntil(await healthPort(child), (a) => a.reason?.includes('base model') === true);
    expect(missing.status).toBe(503);
    expect(missing.reason).toContain(`expected a base model at ${join(emptyModels, 'base')}`);
    child.kill('SIGTERM');
    await waitForExit(child);

    child = spawnWorker({ ...env, BASE_MODEL_DIR: resolve('test/fixtures/models/tiny') });
    const installed = await healthUntil(await healthPort(child), (a) => a.status === 200);
    expect(installed).toEqual({ status: 200, reason: undefined });
  });

  it('doctor fails a base model the workers could not read (a card that is not JSON)', async () => {
    const base = join(emptyModels, 'broken-base');
    await mkdir(base);
    await writeFile(join(base, 'card.json'), 'not json');
    const run = await runCli(['doctor'], '', { ...env, BASE_MODEL_DIR: base });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(new RegExp(`^FAIL models: no base model at ${base}`, 'm'));
  });
});

function spawnWorker(env: NodeJS.ProcessEnv): ChildProcess {
  return spawn(process.execPath, ['bin/lstm-bot.js', 'worker'], { env, stdio: ['ignore', 'ignore', 'pipe'] });
}

/** The port the process's health server logged (HEALTH_PORT=0 picks a free one). */
function healthPort(process_: ChildProcess): Promise<number> {
  return new Promise((done, fail) => {
    const lines = createInterface({ input: process_.stderr! });
    process_.once('exit', (code) => fail(new Error(`the process exited (${code}) before serving /healthz`)));
    lines.on('line', (line) => {
      if (!line.includes('/healthz and /metrics on')) return;
      done((JSON.parse(line) as { port: number }).port);
    });
  });
}

/**
 * /healthz, asked until `wanted` holds or 30 s pass (the health server is up before Redis is connected
 * and the worker has started, and says so meanwhile); the last answer.
 */
async function healthUntil(
  port: number,
  wanted: (answer: { status: number; reason?: string }) => boolean,
): Promise<{ status: number; reason?: string }> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const response = await fetch(`http://127.0.0.1:${port}/healthz`);
    const body = (await response.json()) as { reason?: string };
    const answer = { status: response.status, reason: body.reason };
    if (wanted(answer) || Date.now() > deadline) return answer;
    await new Promise((done) => setTimeout(done, 200));
  }
}
