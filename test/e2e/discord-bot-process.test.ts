import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import type { GenerationWorker } from '../../src/worker/generation-worker.js';
import { startTestWorker } from '../helpers/pipeline-harness.js';
import { deleteKeys, makeModelStore, removeDir, TEST_REDIS_URL, testPrefix } from '../helpers/redis-test-env.js';
import { FakeDiscord } from './fake-discord/fake-discord.js';

const CLI = 'bin/lstm-bot.js';

/** `lstm-bot bot` as its own process (built with `npm run build`), against the fake Discord. */
describe.runIf(existsSync('dist/main/cli.js'))('the lstm-bot bot process on Discord', () => {
  let fake: FakeDiscord;
  let prefix: string;
  let modelsDir: string;
  let worker: GenerationWorker | undefined;
  let bot: ChildProcess | undefined;
  let output = '';

  beforeEach(async () => {
    fake = await FakeDiscord.start();
    prefix = testPrefix();
    modelsDir = await makeModelStore();
    output = '';
  });

  afterEach(async () => {
    if (bot && bot.exitCode === null) {
      bot.kill('SIGKILL');
      await new Promise((resolve) => bot?.once('exit', resolve));
    }
    await worker?.close(5_000);
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
      HEALTH_PORT: '0',
      LOG_LEVEL: 'trace',
      LOG_FORMAT: 'json',
    };
  }

  test('logs in, answers /continue through Redis and a worker, never logs the token, and stops on SIGTERM', async () => {
    bot = spawn(process.execPath, [CLI, 'bot'], { env: env(), stdio: ['ignore', 'pipe', 'pipe'] });
    bot.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    bot.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => bot?.once('exit', (code) => resolve(code)));
    await fake.waitForReady();
    worker = await startTestWorker(TEST_REDIS_URL, prefix, modelsDir);

    const { token } = fake.sendInteraction({
      name: 'continue',
      options: [
        { name: 'prompt', type: 3, value: 'hello there' },
        { name: 'words', type: 4, value: 2 },
      ],
    });
    const edit = await fake.waitForRequest((r) => r.method === 'PATCH' && r.path.includes(`/${token}/`));
    expect(edit.body).toEqual({ content: 'hello there basew0 basew1', allowed_mentions: { parse: [] } });

    bot.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(output).toContain('discord ready');
    expect(output).not.toContain(fake.token);
  });

  test('`lstm-bot discord register --guild` registers the commands and exits 0', async () => {
    const register = spawn(process.execPath, [CLI, 'discord', 'register', '--guild', fake.guildId], {
      env: env(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    register.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    register.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => register.once('exit', (c) => resolve(c)));
    expect(code).toBe(0);
    expect(output).toContain(`Registered 5 commands in server ${fake.guildId}`);
  });
});
