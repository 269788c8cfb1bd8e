import { spawn } from 'node:child_process';
import { mkdtemp, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { deleteKeys, removeDir, TEST_REDIS_URL, testPrefix } from '../helpers/redis-test-env.js';

/** `npm start` with commands piped on stdin: replies on stdout, logs on stderr, exit when done. */
function runConsole(
  input: string,
  env: NodeJS.ProcessEnv,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ['bin/lstm-bot.js', 'start'], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', fail);
    child.once('exit', (code) => done({ code, stdout, stderr }));
    child.stdin.end(input);
  });
}

describe('the console channel, piped (the compiled CLI: run `npm run build` first)', () => {
  let prefix: string;
  let workDir: string;
  let env: NodeJS.ProcessEnv;

  beforeEach(async () => {
    prefix = testPrefix();
    workDir = await mkdtemp(join(tmpdir(), 'lstm-bot-console-'));
    await symlink(resolve('test/fixtures/models/tiny'), join(workDir, 'base'));
    env = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      REDIS_URL: TEST_REDIS_URL,
      QUEUE_PREFIX: prefix,
      MODELS_DIR: workDir,
      DATA_DIR: join(workDir, 'data'),
      HEALTH_PORT: '0',
      LOG_FORMAT: 'json',
    };
  });

  afterEach(async () => {
    await deleteKeys(TEST_REDIS_URL, prefix);
    await removeDir(workDir);
  });

  it('prints the replies of piped commands, a continuation of the prompt, and keeps the setting after a restart', async () => {
    const first = await runConsole('/temperature 0.5\n/continue the weather today\n', env);
    expect(first.code).toBe(0);
    const lines = first.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toBe('Temperature set to 0.5 for this channel.');
    // A continuation follows the prompt; the tiny test model may go on with punctuation (`today!`).
    expect(lines[1]).toMatch(/^the weather today ?\S/);
    expect(first.stderr).toContain('"msg":"answered"');

    const second = await runConsole('/temperature\n/join other\n/temperature\n', env);
    expect(second.code).toBe(0);
    expect(second.stdout.trimEnd().split('\n')).toEqual([
      'The temperature in this channel is 0.5.',
      'You are now in #other.',
      'The temperature in this channel is 0.8 (the default).',
    ]);
  });

  it('answers bad input with short messages and no stack trace', async () => {
    const run = await runConsole('/frobnicate\n/temperature 7\n/continue\n/join ../x\n', env);
    expect(run.code).toBe(0);
    expect(run.stdout.trimEnd().split('\n')).toEqual([
      'Unknown command /frobnicate. Type /help for the list.',
      'The temperature must be a number from 0 to 2 (0 always picks the likeliest word).',
      'Give me a few words to continue, e.g. `/continue the weather today`.',
      'Channel names use letters, digits, - and _ (at most 64).',
    ]);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it('still answers on the JavaScript backend when native TensorFlow is missing, and says so loudly', async () => {
    const run = await runConsole('/continue the weather today\n', { ...env, LSTM_BOT_DISABLE_NATIVE_TF: '1' });
    expect(run.code).toBe(0);
    expect(run.stdout.trimEnd()).toMatch(/^the weather today ?\S/);
    expect(run.stderr).toContain('native TensorFlow (@tensorflow/tfjs-node) is not available');
    expect(run.stderr).toContain('training will be VERY slow');
  });
});
