import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { childProcesses } from '../helpers/proc-children.js';
import { removeDir } from '../helpers/redis-test-env.js';

const CORPUS = 'test/fixtures/tiny-dialogue.txt';
const SMALL = ['--vocab', '60', '--embedding', '8', '--hidden', '8', '--seq', '8', '--batch', '4'];

/** The environment of a shell that never set glibc's malloc variables. */
function plainEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const { MALLOC_MMAP_MAX_: _max, MALLOC_TRIM_THRESHOLD_: _trim, TF_CPU_ALLOCATOR_USE_BFC: _bfc, ...env } = process.env;
  return { ...env, ...extra };
}

/** The environment a process started with, as `NAME=value` lines. */
async function environOf(pid: number): Promise<string[]> {
  return (await readFile(`/proc/${pid}/environ`, 'utf8')).split('\0');
}

/** Polls until `pid` has a child (or gives up after `ms`). */
async function firstChild(pid: number, ms = 20_000): Promise<number | undefined> {
  for (const until = Date.now() + ms; Date.now() < until; await new Promise((r) => setTimeout(r, 25))) {
    const [child] = await childProcesses(pid);
    if (child !== undefined) return child.pid;
  }
  return undefined;
}

function exited(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  return new Promise((done) => child.once('exit', (code, signal) => done({ code, signal })));
}

describe.runIf(process.platform === 'linux')('lstm-bot train, as a user starts it', () => {
  let dir: string | undefined;
  afterEach(async () => {
    if (dir) await removeDir(dir);
    dir = undefined;
  });

  it("runs in a process started with glibc's training settings and TensorFlow's best-fit allocator, and ends as it does", async () => {
    dir = await mkdtemp(join(tmpdir(), 'lstm-bot-train-'));
    const out = join(dir, 'model');
    const args = ['bin/lstm-bot.js', 'train', '--corpus', CORPUS, '--out', out, ...SMALL, '--epochs', '1'];
    const cli = spawn(process.execPath, args, { env: plainEnv(), stdio: 'ignore' });
    const ended = exited(cli);
    const trainer = await firstChild(cli.pid!);
    expect(trainer).toBeDefined();
    const environ = await environOf(trainer!);
    expect(environ).toContain('MALLOC_MMAP_MAX_=0');
    expect(environ).toContain('MALLOC_TRIM_THRESHOLD_=1000000000000');
    expect(environ).toContain('TF_CPU_ALLOCATOR_USE_BFC=true');
    expect(environ.some((line) => line.startsWith('LSTM_BOT_COMMAND_STARTED_AT='))).toBe(true);
    expect(await ended).toEqual({ code: 0, signal: null });
    expect(existsSync(join(out, 'card.json'))).toBe(true);
  }, 60_000);

  it('passes SIGTERM on to the training, and both processes end', async () => {
    dir = await mkdtemp(join(tmpdir(), 'lstm-bot-train-'));
    const args = ['bin/lstm-bot.js', 'train', '--corpus', CORPUS, '--out', join(dir, 'model'), ...SMALL];
    const cli = spawn(process.execPath, [...args, '--epochs', '100000', '--minutes', '2'], {
      env: plainEnv(),
      stdio: 'ignore',
    });
    const ended = exited(cli);
    const trainer = await firstChild(cli.pid!);
    expect(trainer).toBeDefined();
    cli.kill('SIGTERM');
    expect(await ended).toEqual({ code: null, signal: 'SIGTERM' });
    for (let k = 0; k < 200 && existsSync(`/proc/${trainer}`); k++) await new Promise((r) => setTimeout(r, 25));
    expect(existsSync(`/proc/${trainer}`)).toBe(false);
  }, 60_000);

  it("keeps an operator's own MALLOC_MMAP_MAX_ and runs in the one process", async () => {
    dir = await mkdtemp(join(tmpdir(), 'lstm-bot-train-'));
    const out = join(dir, 'model');
    const args = ['bin/lstm-bot.js', 'train', '--corpus', CORPUS, '--out', out, ...SMALL, '--epochs', '1'];
    const cli = spawn(process.execPath, args, { env: plainEnv({ MALLOC_MMAP_MAX_: '65536' }), stdio: 'ignore' });
    const ended = exited(cli);
    expect(await firstChild(cli.pid!, 1_500)).toBeUndefined();
    expect(await ended).toEqual({ code: 0, signal: null });
    expect(existsSync(join(out, 'card.json'))).toBe(true);
  }, 60_000);
});
