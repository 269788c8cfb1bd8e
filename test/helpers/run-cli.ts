import { spawn } from 'node:child_process';
import { mkdtemp, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { channelMessages } from './channel-messages.js';
import { deleteKeys, removeDir, TEST_REDIS_URL, testPrefix } from './redis-test-env.js';

/** The compiled CLI (`bin/lstm-bot.js <args>`) with `input` piped on stdin: its stdout, stderr and exit code. */
export function runCli(
  args: string[],
  input: string,
  env: NodeJS.ProcessEnv,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ['bin/lstm-bot.js', ...args], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', fail);
    child.once('exit', (code) => done({ code, stdout, stderr }));
    child.stdin.end(input);
  });
}

/**
 * A work folder whose `base` is the tiny fixture model, and the environment of a CLI run on it under
 * `prefix` (a fresh one by default); `removeCliWorkDir` deletes both.
 */
export async function cliWorkDir(
  prefix = testPrefix(),
): Promise<{ prefix: string; workDir: string; env: NodeJS.ProcessEnv }> {
  const workDir = await mkdtemp(join(tmpdir(), 'lstm-bot-console-'));
  await symlink(resolve('test/fixtures/models/tiny'), join(workDir, 'base'));
  const env = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    REDIS_URL: TEST_REDIS_URL,
    QUEUE_PREFIX: prefix,
    MODELS_DIR: workDir,
    DATA_DIR: join(workDir, 'data'),
    HEALTH_PORT: '0',
    LOG_FORMAT: 'json',
  };
  return { prefix, workDir, env };
}

export async function removeCliWorkDir({ prefix, workDir }: { prefix: string; workDir: string }): Promise<void> {
  await deleteKeys(TEST_REDIS_URL, prefix);
  await removeDir(workDir);
}

/**
 * `lstm-bot import` of `count` channel messages with `word` (`channelMessages`) into the console
 * channel `local/general`, from a JSONL file written in `workDir`: its stdout, stderr and exit code.
 */
export async function importConsoleHistory(
  workDir: string,
  env: NodeJS.ProcessEnv,
  word: string,
  count: number,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const file = join(workDir, `history-${word}-${count}.jsonl`);
  const lines = channelMessages(word, count).map((m) => JSON.stringify(m));
  await writeFile(file, `${lines.join('\n')}\n`);
  const channel = ['--platform', 'console', '--workspace', 'local', '--channel', 'general'];
  return runCli(['import', ...channel, '--file', file], '', env);
}
