import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import type { DoctorReport } from '../../src/main/doctor.js';

const run = promisify(execFile);

async function doctor(env: Record<string, string>, args: string[] = []) {
  try {
    const { stdout } = await run('node', ['bin/lstm-bot.js', 'doctor', ...args], {
      env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
    });
    return { code: 0, stdout };
  } catch (error) {
    const e = error as { code: number; stdout: string };
    return { code: e.code, stdout: e.stdout };
  }
}

async function unusedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const tempDirs: string[] = [];
afterAll(() => {
  for (const dir of tempDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function tempModelsDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'lstm-bot-models-'));
  tempDirs.push(dir);
  return dir;
}

function modelsDirWithBase(): string {
  const dir = tempModelsDir();
  mkdirSync(join(dir, 'base'));
  writeFileSync(join(dir, 'base', 'card.json'), JSON.stringify({ id: 'base-test' }));
  return dir;
}

describe('lstm-bot doctor', () => {
  it('reports Redis reachable, the backend and the base model, and exits 0', async () => {
    const { code, stdout } = await doctor({ MODELS_DIR: modelsDirWithBase() });
    expect(stdout).toMatch(/^ok {3}redis: reachable at redis:\/\/127\.0\.0\.1:6379/m);
    expect(stdout).toMatch(/^ok {3}models: base model at /m);
    expect(stdout).toMatch(
      /^ok {3}precision: training (mixed|float32), sampling (mixed|float32) \(the CPU (has|lacks) bfloat16 instructions\)$/m,
    );
    if (process.env.LSTM_BOT_REQUIRE_NATIVE_TF === '1') expect(stdout).toMatch(/^backend: tensorflow$/m);
    else expect(stdout).toMatch(/^backend: (tensorflow|cpu)$/m);
    expect(code).toBe(stdout.includes('backend: tensorflow') ? 0 : 1);
  });

  it('says which precision an operator chose, and fails on one it does not know', async () => {
    const chosen = await doctor({ MODELS_DIR: modelsDirWithBase(), LSTM_BOT_TRAIN_PRECISION: 'float32' });
    expect(chosen.stdout).toMatch(/^ok {3}precision: training float32, sampling /m);
    const wrong = await doctor({ MODELS_DIR: modelsDirWithBase(), LSTM_BOT_SAMPLE_PRECISION: 'fp16' });
    expect(wrong.stdout).toMatch(/^FAIL precision: LSTM_BOT_SAMPLE_PRECISION must be mixed or float32, not "fp16"$/m);
    expect(wrong.code).toBe(1);
    // TensorFlow would abort the process at the first bfloat16 product below AVX-512.
    const below = await doctor({
      MODELS_DIR: modelsDirWithBase(),
      LSTM_BOT_SAMPLE_PRECISION: 'mixed',
      ONEDNN_MAX_CPU_ISA: 'AVX2',
    });
    expect(below.stdout).toMatch(
      /^FAIL precision: LSTM_BOT_SAMPLE_PRECISION=mixed cannot run here: (ONEDNN_MAX_CPU_ISA=AVX2 keeps oneDNN below|the CPU lacks) AVX-512/m,
    );
    expect(below.code).toBe(1);
  });

  it('exits 1 with one line for an unreachable Redis', async () => {
    const port = await unusedPort();
    const { code, stdout } = await doctor({ REDIS_URL: `redis://127.0.0.1:${port}`, MODELS_DIR: modelsDirWithBase() });
    expect(code).toBe(1);
    expect(stdout).toMatch(new RegExp(`^FAIL redis: not reachable at redis://127.0.0.1:${port}`, 'm'));
  });

  it('shows the real connection error (code, host and port), not "Connection is closed."', async () => {
    const port = await unusedPort();
    const { stdout } = await doctor({ REDIS_URL: `redis://127.0.0.1:${port}`, MODELS_DIR: modelsDirWithBase() });
    expect(stdout).toMatch(
      new RegExp(
        `^FAIL redis: not reachable at redis://127.0.0.1:${port}: connect ECONNREFUSED 127.0.0.1:${port}$`,
        'm',
      ),
    );
    expect(stdout).not.toContain('Connection is closed');
  });

  it('names each unreachable endpoint of a Cluster or Sentinel set-up, and hides their password', async () => {
    const [a, b] = [await unusedPort(), await unusedPort()];
    const cluster = await doctor({ REDIS_URL: `redis+cluster://:hunter2@127.0.0.1:${a},127.0.0.1:${b}` });
    expect(cluster.stdout).toMatch(
      new RegExp(
        `^FAIL redis: not reachable at redis\\+cluster://\\*\\*\\*@127.0.0.1:${a},127.0.0.1:${b}: .*\\(cluster 127.0.0.1:${a}: ECONNREFUSED; 127.0.0.1:${b}: ECONNREFUSED\\)$`,
        'm',
      ),
    );
    const sentinel = await doctor({ REDIS_URL: `redis+sentinel://127.0.0.1:${a}/mymaster/2` });
    expect(sentinel.stdout).toMatch(new RegExp(`\\(sentinel 127.0.0.1:${a}: ECONNREFUSED\\)$`, 'm'));
    expect(cluster.stdout + sentinel.stdout).not.toContain('hunter2');
  });

  it('lists every bad config key and a missing base model, as JSON too', async () => {
    const empty = tempModelsDir();
    const { code, stdout } = await doctor({ DEFAULT_TEMPERATURE: '9', LOG_LEVEL: 'loud', MODELS_DIR: empty }, [
      '--json',
    ]);
    expect(code).toBe(1);
    const report = JSON.parse(stdout) as DoctorReport;
    expect(report.ok).toBe(false);
    const failed = report.checks.filter((c) => !c.ok).map((c) => c.detail.split(':')[0]);
    expect(failed).toEqual(expect.arrayContaining(['DEFAULT_TEMPERATURE', 'LOG_LEVEL']));
    expect(report.checks.find((c) => c.name === 'models')?.detail).toMatch(/^no base model at /);
  });

  it('falls back to the JavaScript backend, saying training will be very slow', async () => {
    const { code, stdout } = await doctor({ LSTM_BOT_DISABLE_NATIVE_TF: '1', MODELS_DIR: modelsDirWithBase() });
    expect(code).toBe(1);
    expect(stdout).toMatch(/^backend: cpu$/m);
    expect(stdout).toMatch(
      /^FAIL tensorflow: JavaScript fallback: disabled by LSTM_BOT_DISABLE_NATIVE_TF=1; training will be very slow$/m,
    );
  });

  it('hides a password in the Redis URL', async () => {
    const port = await unusedPort();
    const { stdout } = await doctor({ REDIS_URL: `redis://:hunter2@127.0.0.1:${port}` });
    expect(stdout).not.toContain('hunter2');
    expect(stdout).toContain('redis://***@127.0.0.1');
  });
});
