import { MessageFlags } from 'discord.js';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { DiscordChatAdapter } from '../../src/adapters/discord/discord-chat-adapter.js';
import type { Bot } from '../../src/main/start-bot.js';
import { renderReply } from '../../src/replies/reply-catalogue.js';
import { startTestBot, startTestWorker } from '../helpers/pipeline-harness.js';
import { deleteKeys, makeModelStore, removeDir, TEST_REDIS_URL, testPrefix } from '../helpers/redis-test-env.js';
import { capturingLogger, discordTestConfig } from './fake-discord/discord-test-config.js';
import { FakeDiscord, MANAGE_CHANNELS, MEMBER_PERMISSIONS, type RecordedRequest } from './fake-discord/fake-discord.js';

/**
 * The whole path with real parts: discord.js on the fake gateway, the command handlers, BullMQ on
 * Redis, a generation worker (with a stand-in text generator), reply delivery, and the adapter's
 * REST sender editing the deferred response.
 */
describe('Discord through the real pipeline on Redis', () => {
  let fake: FakeDiscord;
  let prefix: string;
  let modelsDir: string;
  let adapter: DiscordChatAdapter;
  const closers: (() => Promise<void>)[] = [];

  beforeEach(async () => {
    fake = await FakeDiscord.start();
    prefix = testPrefix();
    modelsDir = await makeModelStore();
    adapter = new DiscordChatAdapter({ config: discordTestConfig(fake), logger: capturingLogger().logger });
  });

  afterEach(async () => {
    for (const close of closers.splice(0).reverse()) await close();
    await fake.close();
    await deleteKeys(TEST_REDIS_URL, prefix);
    await removeDir(modelsDir);
  });

  async function startPipeline(overrides = {}): Promise<Bot> {
    const bot = await startTestBot(TEST_REDIS_URL, prefix, modelsDir, [adapter], overrides);
    closers.push(() => bot.close());
    const worker = await startTestWorker(TEST_REDIS_URL, prefix, modelsDir);
    closers.push(() => worker.close(5_000));
    return bot;
  }

  const bodyOf = (r: RecordedRequest) => r.body as { content?: string; flags?: number };
  const editOf = (token: string) =>
    fake.waitForRequest((r) => r.method === 'PATCH' && r.path.endsWith(`/${token}/messages/@original`));

  test('/continue goes from INTERACTION_CREATE through Redis and a worker to the edited response', async () => {
    await startPipeline();
    const { token } = fake.sendInteraction({
      name: 'continue',
      options: [
        { name: 'prompt', type: 3, value: 'the weather <@42>' },
        { name: 'words', type: 4, value: 3 },
      ],
    });
    const edit = await editOf(token);
    expect(bodyOf(edit).content).toBe('the weather <\u200b@42> basew0 basew1 basew2');
    expect(edit.body).toMatchObject({ allowed_mentions: { parse: [] } });
    const callback = fake.requestsMatching('POST', new RegExp(`/${token}/callback$`));
    expect(callback.map((r) => r.body)).toEqual([{ type: 5, data: { flags: 0 } }]);
    expect(fake.requestsMatching('DELETE', /@original$/)).toHaveLength(0);
  });

  test('a channel manager sets the temperature in Redis, and the next /continue uses it', async () => {
    await startPipeline();
    const set = fake.sendInteraction({
      name: 'temperature',
      options: [{ name: 'set', type: 1, options: [{ name: 'value', type: 10, value: 0.3 }] }],
      permissions: MEMBER_PERMISSIONS | MANAGE_CHANNELS,
    });
    expect(bodyOf(await editOf(set.token)).content).toBe(renderReply('temperature.set', { value: 0.3 }));

    const show = fake.sendInteraction({ name: 'temperature', options: [{ name: 'show', type: 1, options: [] }] });
    expect(bodyOf(await editOf(show.token)).content).toBe(
      renderReply('temperature.show', { value: 0.3, isDefault: false }),
    );
  });

  test('a member over the rate limit reads why, privately, instead of a public placeholder', async () => {
    await startPipeline({ RATE_LIMIT_USER_PER_MINUTE: 1 });
    const userId = '123456789012345';
    const first = fake.sendInteraction({
      name: 'continue',
      options: [{ name: 'prompt', type: 3, value: 'a' }],
      userId,
    });
    await editOf(first.token);
    const second = fake.sendInteraction({
      name: 'continue',
      options: [{ name: 'prompt', type: 3, value: 'b' }],
      userId,
    });
    const followup = await fake.waitForRequest(
      (r) => r.method === 'POST' && r.path === `/webhooks/${fake.applicationId}/${second.token}`,
    );
    expect(bodyOf(followup).flags).toBe(MessageFlags.Ephemeral | MessageFlags.SuppressEmbeds);
    expect(bodyOf(followup).content).toMatch(/^You are sending requests too fast/);
    expect(fake.originalOf(second.token)).toBeUndefined();
  });
});
