import { spawn } from 'node:child_process';
import { mkdtemp, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { channelMessages } from '../helpers/channel-messages.js';
import { deleteKeys, removeDir, TEST_REDIS_URL, testPrefix } from '../helpers/redis-test-env.js';

/** The compiled CLI with `input` piped on stdin: stdout, stderr and the exit code. */
function run(args: string[], input: string, env: NodeJS.ProcessEnv) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((done, fail) => {
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

describe('/retrain through the piped console (the compiled CLI: run `npm run build` first)', () => {
  let prefix: string;
  let workDir: string;
  let env: NodeJS.ProcessEnv;

  beforeEach(async () => {
    prefix = testPrefix();
    workDir = await mkdtemp(join(tmpdir(), 'lstm-bot-console-retrain-'));
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

  it('imports history, prints each stage once and the summary, then the channel uses its own model', async () => {
    const file = join(workDir, 'history.jsonl');
    const lines = channelMessages('zorblax', 200).map((m) => JSON.stringify(m));
    await writeFile(file, `${lines.join('\n')}\n`);
    const imported = await run(
      ['import', '--platform', 'console', '--workspace', 'local', '--channel', 'general', '--file', file],
      '',
      env,
    );
    expect(imported.code).toBe(0);

    const retrain = await run(['start'], '/retrain 200\n', env);
    expect(retrain.code).toBe(0);
    const out = retrain.stdout.trimEnd().split('\n');
    expect(out[0]).toBe(
      'Retraining on up to 200 stored messages of this channel: queued (position 1). Progress follows here.',
    );
    expect(out.at(-1)).toMatch(
      /^Retrained this channel's model on 200 messages in \d+ s: learned \d+ new words \(.*zorblax.*\); perplexity on the newest messages \d+\.\d -> \d+\.\d\./,
    );
    // Piped: one line per stage, so a log stays readable.
    const stages = out.slice(1, -1).map((line) => line.replace(/^Retraining: (\w+).*$/, '$1'));
    expect(stages).toEqual([...new Set(stages)]);
    expect(stages).toEqual(expect.arrayContaining(['reading', 'loading', 'epoch', 'publishing']));

    const status = await run(['start'], '/status\n/join other\n/status\n', env);
    expect(status.code).toBe(0);
    const models = status.stdout.split('\n').filter((line) => line.startsWith('Model: '));
    expect(models[0]).toMatch(/^Model: this channel's own model, version \S+/);
    expect(models[1]).toMatch(/^Model: the base model, version /);
  });
});
