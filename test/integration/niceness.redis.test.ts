import { spawn, type ChildProcess } from 'node:child_process';
import { cp, mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { RedisHistoryStore } from '../../src/history/redis-history-store.js';
import { runTrainingChild } from '../../src/training/run-training-child.js';
import { cliWorkDir } from '../helpers/run-cli.js';
import { deleteKeys, removeDir, TEST_REDIS_URL, testPrefix } from '../helpers/redis-test-env.js';
import { waitForExit } from '../helpers/spawn-process.js';
import { childProcesses } from '../helpers/proc-children.js';

/** The nice value of every thread of a process (field 19 of `/proc/<pid>/task/<tid>/stat`). */
async function threadNiceness(pid: number): Promise<number[]> {
  const values: number[] = [];
  for (const tid of await readdir(`/proc/${pid}/task`)) {
    const stat = await readFile(`/proc/${pid}/task/${tid}/stat`, 'utf8').catch(() => undefined);
    if (stat === undefined) continue; // the thread ended meanwhile
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    values.push(Number(fields[16]));
  }
  return values;
}

/** This process's children whose command line contains `marker`. */
async function childrenRunning(marker: string): Promise<number[]> {
  const children = await childProcesses(process.pid);
  return children.filter(({ commandLine }) => commandLine.includes(marker)).map(({ pid }) => pid);
}

function waitForLog(child: ChildProcess, message: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stderr! });
    const onExit = (code: number | null) => reject(new Error(`exited (${code}) before logging "${message}"`));
    lines.on('line', (line) => {
      if (!line.includes(message)) return;
      child.off('exit', onExit);
      lines.close();
      resolve();
    });
    child.once('exit', onExit);
  });
}

describe.runIf(process.platform === 'linux')('CPU priority of generation and training', () => {
  const cleanups: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  it('runs every thread of `lstm-bot worker` at WORKER_NICENESS, TensorFlow threads included', async () => {
    const prefix = testPrefix();
    const { workDir, env } = await cliWorkDir(prefix);
    cleanups.push(
      () => removeDir(workDir),
      () => deleteKeys(TEST_REDIS_URL, prefix),
    );
    const worker = spawn(process.execPath, ['bin/lstm-bot.js', 'worker'], {
      env: { ...env, WORKER_NICENESS: '7' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    cleanups.push(async () => {
      worker.kill('SIGTERM');
      await waitForExit(worker);
    });
    await waitForLog(worker, 'generation worker ready');
    const niceness = await threadNiceness(worker.pid!);
    expect(niceness.length).toBeGreaterThan(4);
    expect(new Set(niceness)).toEqual(new Set([7]));
    // The test process (standing in for the bot) keeps its own.
    expect(await threadNiceness(process.pid)).not.toContain(7);
  });

  it('runs every thread of a training child at the niceness it is given', async () => {
    const prefix = testPrefix();
    const modelsDir = await mkdtemp(join(tmpdir(), 'lstm-bot-nice-'));
    await cp('test/fixtures/models/tiny', join(modelsDir, 'base'), { recursive: true });
    const redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: 1 });
    cleanups.push(
      () => removeDir(modelsDir),
      () => deleteKeys(TEST_REDIS_URL, prefix),
      async () => redis.disconnect(),
    );
    const channel = { platform: 'console', workspace: 'local', channel: 'nice' } as const;
    const lines = (await readFile('test/fixtures/tiny-dialogue.txt', 'utf8')).split('\n').filter(Boolean);
    await new RedisHistoryStore(redis, prefix, 5_000).append(
      channel,
      lines.map((text) => ({ text, author: 'u1' })),
    );
    const stop = new AbortController();
    let seen: number[] | undefined;
    let looking: Promise<void> | undefined;
    const training = runTrainingChild(
      {
        redisUrl: TEST_REDIS_URL,
        prefix,
        modelsDir,
        baseModelDir: join(modelsDir, 'base'),
        channel,
        requestId: 'nice1',
        messages: 600,
        maxStoredMessages: 5_000,
        keepRawHistory: true,
        keepVersions: 1,
        fineTune: { epochs: 200, batchSize: 8, seqLength: 8 },
      },
      {
        niceness: 13,
        timeLimitMs: 120_000,
        signal: stop.signal,
        // Once it trains, TensorFlow's threads exist: look at them all, then stop it.
        onProgress: () => {
          looking ??= (async () => {
            const [pid] = await childrenRunning('train-child');
            seen = pid === undefined ? [] : await threadNiceness(pid);
            stop.abort();
          })();
        },
      },
    );
    await training.catch(() => undefined);
    await looking;
    expect(seen?.length).toBeGreaterThan(4);
    expect(new Set(seen)).toEqual(new Set([13]));
  });
});
