import { describe, expect, test } from 'vitest';
import { renderReply } from '../../src/replies/reply-catalogue.js';
import { usePipelineScope } from '../helpers/pipeline-harness.js';
import { liveProbe } from '../helpers/live-probe.js';
import { discordSetting } from './fake-discord/discord-live-helpers.js';
import type { FakeDiscord } from './fake-discord/fake-discord.js';
import { MESSAGE_CONTENT_INTENT } from './fake-discord/fake-gateway-message.js';
import { startDiscordPipeline } from './fake-discord/start-discord-pipeline.js';

/**
 * Live learning on Discord through the real discord.js client on the fake gateway (MESSAGE_CREATE with
 * the Message Content intent), the real command handlers and the history store in Redis.
 */
describe('Discord live learning through the real pipeline', () => {
  const scope = usePipelineScope();
  /** A second text channel of the guild, known to discord.js from GUILD_CREATE. */
  let other = '';
  const start = (messageContent = true): Promise<FakeDiscord> =>
    startDiscordPipeline(scope, {}, (fake) => void (other = fake.addChannel({}).id), { messageContent });
  const probe = () => liveProbe(scope);

  test('DISCORD_MESSAGE_CONTENT asks the gateway for the Message Content intent', async () => {
    const fake = await start(true);
    expect((fake.identifies[0] as { intents: number }).intents & MESSAGE_CONTENT_INTENT).toBe(MESSAGE_CONTENT_INTENT);
  });

  test('with learning on, people’s new messages are stored (bots, the bot itself and webhooks not); the notice is posted once', async () => {
    const fake = await start();
    const { stored, waitForStored } = probe();
    expect(await discordSetting(fake, 'learning', 'on')).toBe(renderReply('settings.learningOn'));
    fake.sendMessage({ content: 'a bot writes this', bot: true });
    fake.sendMessage({ content: 'the bot itself writes this', authorId: fake.botUserId, bot: true });
    fake.sendMessage({ content: 'a webhook writes this', webhookId: '1234567890123' });
    fake.sendMessage({ content: '/continue not a message', authorId: '5555555555555555' });
    fake.sendMessage({ content: 'the weather is fine today', authorId: '5555555555555555' });
    fake.sendMessage({ content: 'and tomorrow it rains again', authorId: '6666666666666666' });
    await waitForStored('discord', fake.guildId, fake.channelId, 'and tomorrow it rains again');
    const rows = await stored('discord', fake.guildId, fake.channelId);
    expect(rows.map((m) => [m.text, m.author])).toEqual([
      ['the weather is fine today', '5555555555555555'],
      ['and tomorrow it rains again', '6666666666666666'],
    ]);
    // The one notice is the public answer to the setting: nothing else was posted in the channel.
    expect(fake.requestsMatching('POST', new RegExp(`^/channels/${fake.channelId}/messages$`))).toEqual([]);
    const notices = fake.requests.filter((r) => JSON.stringify(r.body ?? '').includes('Learning on'));
    expect(notices).toHaveLength(1);
  });

  test('with learning off (the default, or turned off), nothing is stored', async () => {
    const fake = await start();
    const { stored, waitForStored } = probe();
    fake.sendMessage({ content: 'nobody stores this', authorId: '5555555555555555' });
    expect(await discordSetting(fake, 'learning', 'on', { channelId: other })).toBe(renderReply('settings.learningOn'));
    expect(await discordSetting(fake, 'learning', 'on')).toBe(renderReply('settings.learningOn'));
    fake.sendMessage({ content: 'stored while it is on', authorId: '5555555555555555' });
    await waitForStored('discord', fake.guildId, fake.channelId, 'stored while it is on');
    expect(await discordSetting(fake, 'learning', 'off')).toBe(renderReply('settings.learningOff'));
    fake.sendMessage({ content: 'not stored once it is off', authorId: '5555555555555555' });
    // Handled in order: once a later message of another channel is stored, this one was decided.
    fake.sendMessage({ channelId: other, content: 'the marker message', authorId: '5555555555555555' });
    await waitForStored('discord', fake.guildId, other, 'the marker message');
    expect((await stored('discord', fake.guildId, fake.channelId)).map((m) => m.text)).toEqual([
      'stored while it is on',
    ]);
  });

  test('refuses /settings learning on to a member without Manage Channels, and stores nothing', async () => {
    const fake = await start();
    const { stored } = probe();
    expect(await discordSetting(fake, 'learning', 'on', { manager: false })).toBe(renderReply('settings.forbidden'));
    const show = fake.sendInteraction({ name: 'settings', options: [{ name: 'show', type: 1, options: [] }] });
    const edit = await fake.waitForRequest(
      (r) => r.method === 'PATCH' && r.path.endsWith(`/${show.token}/messages/@original`),
    );
    expect((edit.body as { content: string }).content).toContain('Learning: off');
    expect(await stored('discord', fake.guildId, fake.channelId)).toEqual([]);
  });

  test('without the Message Content intent, /settings learning on tells the manager so and changes nothing', async () => {
    const fake = await start(false);
    expect((fake.identifies[0] as { intents: number }).intents & MESSAGE_CONTENT_INTENT).toBe(0);
    expect(await discordSetting(fake, 'learning', 'on')).toBe(renderReply('settings.messagesUnreadable'));
    const show = fake.sendInteraction({ name: 'settings', options: [{ name: 'show', type: 1, options: [] }] });
    const edit = await fake.waitForRequest(
      (r) => r.method === 'PATCH' && r.path.endsWith(`/${show.token}/messages/@original`),
    );
    expect((edit.body as { content: string }).content).toContain('Learning: off');
  });

  test('/forget me removes the live-stored messages of the caller, whose new messages are no longer stored', async () => {
    const fake = await start();
    const { stored, waitForStored } = probe();
    await discordSetting(fake, 'learning', 'on');
    const forgotten = '7777777777777777';
    fake.sendMessage({ content: 'remember this of mine', authorId: forgotten });
    fake.sendMessage({ content: 'and this of someone else', authorId: '5555555555555555' });
    await waitForStored('discord', fake.guildId, fake.channelId, 'and this of someone else');
    const { token } = fake.sendInteraction({
      name: 'forget',
      userId: forgotten,
      options: [{ name: 'me', type: 1, options: [] }],
    });
    await fake.waitForRequest(
      (r) =>
        r.path.includes(`/${token}`) && JSON.stringify(r.body ?? '').includes('of your stored messages are deleted'),
    );
    expect((await stored('discord', fake.guildId, fake.channelId)).map((m) => m.author)).toEqual(['5555555555555555']);
    fake.sendMessage({ content: 'this one of mine neither', authorId: forgotten });
    fake.sendMessage({ content: 'the marker after it', authorId: '5555555555555555' });
    await waitForStored('discord', fake.guildId, fake.channelId, 'the marker after it');
    expect((await stored('discord', fake.guildId, fake.channelId)).map((m) => m.text)).toEqual([
      'and this of someone else',
      'the marker after it',
    ]);
  });
});
