import { mkdtemp, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { MessageFlags } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DiscordChatAdapter } from '../../src/adapters/discord/discord-chat-adapter.js';
import type { Bot } from '../../src/main/start-bot.js';
import { loadGenerator } from '../../src/main/load-generator.js';
import type { GenerationWorker } from '../../src/generation/generation-worker.js';
import { startTestBot, startTestWorker } from '../helpers/pipeline-harness.js';
import { deleteKeys, removeDir, silentLogger, TEST_REDIS_URL, testPrefix } from '../helpers/redis-test-env.js';
import { discordTestConfig } from './fake-discord/discord-test-config.js';
import { FakeDiscord } from './fake-discord/fake-discord.js';

/**
 * A Discord `/continue` answered by the real LSTM (the tiny fixture model) in a worker: the prompt's
 * `@here`, `@everyone` and links come back as the user wrote them, yet ping nobody, link nowhere
 * and show no preview.
 */
const prefix = testPrefix();
let fake: FakeDiscord;
let modelsDir: string;
let bot: Bot;
let worker: GenerationWorker;

beforeAll(async () => {
  fake = await FakeDiscord.start();
  modelsDir = await mkdtemp(join(tmpdir(), 'lstm-bot-discord-echo-'));
  await symlink(resolve('test/fixtures/models/tiny'), join(modelsDir, 'base'));
  const adapter = new DiscordChatAdapter({ config: discordTestConfig(fake), logger: silentLogger });
  bot = await startTestBot(TEST_REDIS_URL, prefix, modelsDir, [adapter]);
  worker = await startTestWorker(TEST_REDIS_URL, prefix, modelsDir, { loadGenerator: (dir) => loadGenerator(dir) });
});

afterAll(async () => {
  await worker?.close(5_000);
  await bot?.close();
  await deleteKeys(TEST_REDIS_URL, prefix);
  await removeDir(modelsDir);
  await fake?.close();
});

describe('Discord echoes of the prompt', () => {
  it('shows @here, @everyone and a link as written, inert, with embeds suppressed', async () => {
    const { token } = fake.sendInteraction({
      name: 'continue',
      options: [
        { name: 'prompt', type: 3, value: '@here and @everyone see https://example.com/a and www.example.org' },
        { name: 'words', type: 4, value: 2 },
      ],
    });
    const edit = await fake.waitForRequest(
      (r) => r.method === 'PATCH' && r.path.endsWith(`/${token}/messages/@original`),
    );
    const body = edit.body as { content: string; flags?: number; allowed_mentions?: unknown };
    expect(body.content).toMatch(
      /^@\u200bhere and @\u200beveryone see https\u200b:\/\/example\.\u200bcom\/a and www\u200b\.example\.\u200borg(?=[\s\p{P}]|$)/u,
    );
    expect(body.allowed_mentions).toEqual({ parse: [] });
    expect((body.flags ?? 0) & MessageFlags.SuppressEmbeds).toBe(MessageFlags.SuppressEmbeds);
  });
});
