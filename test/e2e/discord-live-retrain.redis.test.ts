import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { createDiscordHistoryReader } from '../../src/adapters/discord/create-discord-history-reader.js';
import { DiscordChatAdapter } from '../../src/adapters/discord/discord-chat-adapter.js';
import type { Bot } from '../../src/main/start-bot.js';
import { renderReply } from '../../src/replies/reply-catalogue.js';
import { channelMessages } from '../helpers/channel-messages.js';
import { startTestBot, type PipelineScope } from '../helpers/pipeline-harness.js';
import { deleteKeys, TEST_REDIS_URL, testPrefix } from '../helpers/redis-test-env.js';
import { startRetrainBackEnd, type RetrainHarness } from '../helpers/retrain-harness.js';
import { capturingLogger, discordTestConfig } from './fake-discord/discord-test-config.js';
import { liveProbe } from '../helpers/live-probe.js';
import { discordSetting } from './fake-discord/discord-live-helpers.js';
import { FakeDiscord, MANAGE_GUILD, MEMBER_PERMISSIONS } from './fake-discord/fake-discord.js';

/**
 * `/retrain` in a Discord channel that learns live: the trainer (real, in its child process) trains on
 * the messages stored as they arrived through the gateway, never reads the channel's history over
 * REST, and keeps them afterwards, though the trainer deletes collected history after training.
 */
describe('Discord /retrain where learning is on', () => {
  let fake: FakeDiscord;
  let backEnd: RetrainHarness;
  let bot: Bot;
  const scope: PipelineScope = { prefix: '', modelsDir: '', closers: [] };

  beforeEach(async () => {
    fake = await FakeDiscord.start();
    scope.prefix = testPrefix();
    const config = { ...discordTestConfig(fake), DISCORD_MESSAGE_CONTENT: true };
    const discordHistory = createDiscordHistoryReader(config)!;
    backEnd = await startRetrainBackEnd(
      TEST_REDIS_URL,
      scope.prefix,
      { discord: (options) => discordHistory(options) },
      { keepRawHistory: false },
    );
    const adapter = new DiscordChatAdapter({ config, logger: capturingLogger().logger });
    bot = await startTestBot(TEST_REDIS_URL, scope.prefix, backEnd.modelsDir, [adapter]);
    await fake.waitForReady();
  });

  afterEach(async () => {
    for (const close of scope.closers.splice(0).reverse()) await close();
    await bot?.close();
    await backEnd?.close();
    await fake.close();
    await deleteKeys(TEST_REDIS_URL, scope.prefix);
  });

  test('trains on the live-stored messages without reading the history API, and keeps them', async () => {
    const { stored, waitForStored } = liveProbe(scope);
    expect(await discordSetting(fake, 'learning', 'on')).toBe(renderReply('settings.learningOn'));
    const messages = channelMessages('zorblax', 120, ['10001', '10002']);
    for (const m of messages) fake.sendMessage({ content: m.text, authorId: m.author });
    fake.sendMessage({ content: 'the last message before training', authorId: '10001' });
    await waitForStored('discord', fake.guildId, fake.channelId, 'the last message before training');
    expect(await stored('discord', fake.guildId, fake.channelId)).toHaveLength(121);

    const { token } = fake.sendInteraction({
      name: 'retrain',
      options: [{ name: 'start', type: 1, options: [{ name: 'messages', type: 4, value: 200 }] }],
      permissions: MEMBER_PERMISSIONS | MANAGE_GUILD,
    });
    const summary = await fake.waitForRequest(
      (r) =>
        r.method === 'PATCH' &&
        r.path.endsWith(`/${token}/messages/@original`) &&
        /^Retrained|did not|failed/.test((r.body as { content: string }).content),
    );
    expect((summary.body as { content: string }).content).toMatch(/^Retrained this channel's model on 121 messages/);
    expect(fake.requestsMatching('GET', new RegExp(`^/channels/${fake.channelId}/messages`))).toEqual([]);
    expect(await stored('discord', fake.guildId, fake.channelId)).toHaveLength(121);
  });
});
