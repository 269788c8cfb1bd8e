import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { deleteKeys, removeDir, TEST_REDIS_URL, testPrefix } from '../helpers/redis-test-env.js';
import { FakeDiscord } from './fake-discord/fake-discord.js';

const CLI = 'bin/lstm-bot.js';

/**
 * `lstm-bot bot` and `lstm-bot worker` as their own processes (the compiled CLI: run `npm run build`
 * first) with the tiny real LSTM, against the fake Discord: every part real but Discord.
 */
describe('the lstm-bot processes on Discord', () => {
  let fake: FakeDiscord;
  let prefix: string;
  let modelsDir: string;
  const children: ChildProcess[] = [];
  let output = '';

  beforeEach(async () => {
    fake = await FakeDiscord.start();
    prefix = testPrefix();
    modelsDir = await mkdtemp(join(tmpdir(), 'lstm-bot-discord-'));
    await symlink(resolve('test/fixtures/models/tiny'), join(modelsDir, 'base'));
    output = '';
  });

  afterEach(async () => {
    for (const child of children.splice(0)) {
      if (child.exitCode !== null || child.signalCode !== null) continue;
      child.kill('SIGKILL');
      await new Promise((done) => child.once('exit', done));
    }
    await fake.close();
    await deleteKeys(TEST_REDIS_URL, prefix);
    await removeDir(modelsDir);
  });

  function env(): NodeJS.ProcessEnv {
    return {
      PATH: process.env.PATH,
      DISCORD_TOKEN: fake.token,
      DISCORD_APPLICATION_ID: fake.applicationId,
      DISCORD_API_URL: fake.apiUrl,
      REDIS_URL: TEST_REDIS_URL,
      QUEUE_PREFIX: prefix,
      MODELS_DIR: modelsDir,
      DATA_DIR: join(modelsDir, 'data'),
      HOME: process.env.HOME,
      HEALTH_PORT: '0',
      LOG_LEVEL: 'trace',
      LOG_FORMAT: 'json',
    };
  }

  function run(...args: string[]): { child: ChildProcess; exited: Promise<number | null> } {
    const child = spawn(process.execPath, [CLI, ...args], { env: env(), stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(child);
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    return { child, exited: new Promise((done) => child.once('exit', (code) => done(code))) };
  }

  test('logs in, answers /continue with the real LSTM through Redis and a worker process, stops on SIGTERM', async () => {
    const bot = run('bot');
    const worker = run('worker');
    await fake.waitForReady();

    const { token } = fake.sendInteraction({
      name: 'continue',
      options: [
        { name: 'prompt', type: 3, value: 'hello there <@123456789012345678> @everyone' },
        { name: 'words', type: 4, value: 2 },
      ],
    });
    const edit = await fake.waitForRequest((r) => r.method === 'PATCH' && r.path.includes(`/${token}/`));
    const body = edit.body as { content: string; allowed_mentions: unknown };
    expect(body.allowed_mentions).toEqual({ parse: [] });
    expect(body.content).toMatch(/^hello there.+/);
    expect(body.content).not.toMatch(/<@|@everyone|@here/);

    bot.child.kill('SIGTERM');
    worker.child.kill('SIGTERM');
    expect(await bot.exited).toBe(0);
    expect(await worker.exited).toBe(0);
    expect(output).toContain('discord ready');
    expect(output).not.toContain(fake.token);
  });

  test('`lstm-bot discord register --guild` registers the commands and exits 0', async () => {
    const register = run('discord', 'register', '--guild', fake.guildId);
    expect(await register.exited).toBe(0);
    expect(output).toContain(`Registered 7 commands in server ${fake.guildId}`);
  });
});
