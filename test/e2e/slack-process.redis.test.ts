import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, symlink } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deleteKeys, removeDir, TEST_REDIS_URL, testPrefix } from '../helpers/redis-test-env.js';
import { FakeSlack } from './fake-slack/fake-slack.js';
import { postSlashCommand } from './fake-slack/slack-request.js';

/**
 * The deployed shape: `lstm-bot bot` (Slack configured by environment) and `lstm-bot worker` (the
 * tiny trained model of test/fixtures as the base model) as two processes on one Redis, against the
 * fake Slack. Runs the compiled CLI: `npm run build` first (`npm test` does).
 */
const SIGNING_SECRET = 'process-test-signing-secret';
const fake = new FakeSlack();
const prefix = testPrefix();
let modelsDir: string;
let port: number;
/** Each process's own health port, chosen with the Slack port (see `freePorts`). */
let healthPorts: Record<'bot' | 'worker', number>;
const processes: { name: string; child: ChildProcess; output: string }[] = [];

/**
 * `count` distinct free ports, all held open until all are found. A health server on port 0 could
 * otherwise be handed the Slack port the test had just found and closed (seen once in CI: EADDRINUSE).
 */
async function freePorts(count: number): Promise<number[]> {
  const servers = Array.from({ length: count }, () => createServer().listen(0, '127.0.0.1'));
  await Promise.all(servers.map((server) => once(server, 'listening')));
  const ports = servers.map((server) => (server.address() as { port: number }).port);
  await Promise.all(servers.map((server) => new Promise((done) => server.close(done))));
  return ports;
}

async function run(command: 'bot' | 'worker', ready: RegExp): Promise<(typeof processes)[0]> {
  const child = spawn(process.execPath, ['bin/lstm-bot.js', command], {
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      SLACK_BOT_TOKEN: fake.botToken,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: fake.apiUrl,
      SLACK_PORT: String(port),
      REDIS_URL: TEST_REDIS_URL,
      QUEUE_PREFIX: prefix,
      MODELS_DIR: modelsDir,
      HEALTH_PORT: String(healthPorts[command]),
      LOG_FORMAT: 'json',
      LOG_LEVEL: 'debug',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const entry = { name: command, child, output: '' };
  processes.push(entry);
  for (const stream of [child.stdout!, child.stderr!]) stream.on('data', (chunk: Buffer) => (entry.output += chunk));
  while (!ready.test(entry.output)) {
    if (child.exitCode !== null) throw new Error(`lstm-bot ${command} exited: ${entry.output}`);
    await nextOutput(child);
  }
  return entry;
}

/** Resolves on the next output or exit of `child`, leaving no listener behind. */
function nextOutput(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      child.stdout!.off('data', done);
      child.stderr!.off('data', done);
      child.off('exit', done);
      resolve();
    };
    child.stdout!.on('data', done);
    child.stderr!.on('data', done);
    child.on('exit', done);
  });
}

beforeAll(async () => {
  await fake.start();
  modelsDir = await mkdtemp(join(tmpdir(), 'lstm-bot-slack-models-'));
  await symlink(resolve('test/fixtures/models/tiny'), join(modelsDir, 'base'));
  const [slack, bot, worker] = await freePorts(3);
  port = slack!;
  healthPorts = { bot: bot!, worker: worker! };
  await run('worker', /worker (ready|started)/i);
  await run('bot', /bot ready/);
});

afterAll(async () => {
  for (const { child } of processes) {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await once(child, 'exit');
    }
  }
  await deleteKeys(TEST_REDIS_URL, prefix);
  await removeDir(modelsDir);
  await fake.stop();
});

describe('lstm-bot bot and lstm-bot worker with Slack configured', () => {
  it('answer a signed /continue with the trained model in the channel, and exit 0 on SIGTERM', async () => {
    const { status } = await postSlashCommand(
      `http://127.0.0.1:${port}/slack/events`,
      {
        command: '/continue',
        text: 'did you see the game --words 5',
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
    expect(String(answer.text)).toMatch(/^did you see the game\W*\w/);

    for (const { child } of processes) child.kill('SIGTERM');
    const codes = await Promise.all(processes.map(({ child }) => once(child, 'exit').then(([code]) => code)));
    expect(codes).toEqual([0, 0]);
    for (const { output } of processes) {
      expect(output).not.toContain(fake.botToken);
      expect(output).not.toContain(SIGNING_SECRET);
    }
  });
});
