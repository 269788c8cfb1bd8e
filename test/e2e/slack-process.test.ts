import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GenerationWorker } from '../../src/worker/generation-worker.js';
import { startTestWorker } from '../helpers/pipeline-harness.js';
import { deleteKeys, makeModelStore, removeDir, TEST_REDIS_URL, testPrefix } from '../helpers/redis-test-env.js';
import { FakeSlack } from './fake-slack/fake-slack.js';
import { postSlashCommand } from './fake-slack/slack-request.js';

/**
 * `lstm-bot bot` as a real process (from `dist/`, built by `npm test`) with Slack configured by
 * environment, against the fake Slack; a generation worker in this process answers.
 */
const SIGNING_SECRET = 'process-test-signing-secret';
const fake = new FakeSlack();
const prefix = testPrefix();
let modelsDir: string;
let worker: GenerationWorker;
let bot: ChildProcess;
let port: number;
let output = '';

async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port: free } = server.address() as { port: number };
  server.close();
  return free;
}

async function waitForLine(pattern: RegExp): Promise<void> {
  while (!pattern.test(output)) {
    if (bot.exitCode !== null) throw new Error(`lstm-bot bot exited: ${output}`);
    await once(bot.stderr!, 'data');
  }
}

beforeAll(async () => {
  await fake.start();
  modelsDir = await makeModelStore();
  worker = await startTestWorker(TEST_REDIS_URL, prefix, modelsDir);
  port = await freePort();
  bot = spawn(process.execPath, ['bin/lstm-bot.js', 'bot'], {
    env: {
      ...process.env,
      SLACK_BOT_TOKEN: fake.botToken,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: fake.apiUrl,
      SLACK_PORT: String(port),
      REDIS_URL: TEST_REDIS_URL,
      QUEUE_PREFIX: prefix,
      MODELS_DIR: modelsDir,
      HEALTH_PORT: '0',
      LOG_FORMAT: 'json',
      LOG_LEVEL: 'debug',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  bot.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  bot.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  await waitForLine(/bot ready/);
});

afterAll(async () => {
  if (bot && bot.exitCode === null) {
    bot.kill('SIGKILL');
    await once(bot, 'exit');
  }
  await worker?.close(5_000);
  await deleteKeys(TEST_REDIS_URL, prefix);
  await removeDir(modelsDir);
  await fake.stop();
});

describe('lstm-bot bot with Slack configured', () => {
  it('answers a signed /continue in the channel, and exits cleanly on SIGTERM', async () => {
    const { status } = await postSlashCommand(
      `http://127.0.0.1:${port}/slack/events`,
      {
        command: '/continue',
        text: 'hello from a process -w 2',
        user_id: 'U1',
        channel_id: 'CPROC',
        team_id: fake.teamId,
        response_url: fake.responseUrl('proc'),
      },
      { signingSecret: SIGNING_SECRET },
    );
    expect(status).toBe(200);
    const answer = await fake.waitFor(
      () => fake.responsePosts.find((p) => p.id === 'proc' && p.body.response_type === 'in_channel')?.body,
    );
    expect(answer.text).toBe('hello from a process basew0 basew1');

    bot.kill('SIGTERM');
    const [code] = (await once(bot, 'exit')) as [number | null];
    expect(code).toBe(0);
    expect(output).not.toContain(fake.botToken);
    expect(output).not.toContain(SIGNING_SECRET);
  });
});
