import { MessageFlags } from 'discord.js';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { DiscordReplySender } from '../../src/adapters/discord/discord-reply-sender.js';
import { discordRest } from '../../src/adapters/discord/discord-rest.js';
import type { DiscordChatAdapter } from '../../src/adapters/discord/discord-chat-adapter.js';
import type { OutboundReply } from '../../src/commands/reply-address.js';
import { renderReply } from '../../src/replies/reply-catalogue.js';
import { discordTestConfig, startDiscordAdapter } from './fake-discord/discord-test-config.js';
import { FakeCommandSink, type ReceivedCommand } from './fake-discord/fake-command-sink.js';
import {
  ADMINISTRATOR,
  FakeDiscord,
  MANAGE_CHANNELS,
  MANAGE_GUILD,
  MEMBER_PERMISSIONS,
  READ_MESSAGE_HISTORY,
  type RecordedRequest,
} from './fake-discord/fake-discord.js';

/** Every post and edit asks Discord for no link preview; private ones are ephemeral too. */
const SUPPRESS_EMBEDS = MessageFlags.SuppressEmbeds;
const EPHEMERAL_NO_EMBEDS = MessageFlags.Ephemeral | MessageFlags.SuppressEmbeds;

const prompt = (value: string) => [{ name: 'prompt', type: 3, value }];
const subcommand = (name: string, options: unknown[] = []) => [{ name, type: 1, options }];

describe('slash commands through discord.js against a fake Discord', () => {
  let fake: FakeDiscord;
  let adapter: DiscordChatAdapter;
  let sink: FakeCommandSink;
  /** What the handlers answer; by default nothing (the worker answers later). */
  let answer: (received: ReceivedCommand) => OutboundReply | undefined;

  beforeEach(async () => {
    fake = await FakeDiscord.start();
    answer = () => undefined;
    sink = new FakeCommandSink((received) => answer(received));
    adapter = await startDiscordAdapter(fake, sink);
  });

  afterEach(async () => {
    await adapter.stop();
    await fake.close();
  });

  const callbackOf = (token: string) =>
    fake.waitForRequest((r) => r.method === 'POST' && r.path.endsWith(`/${token}/callback`));
  const editOf = (token: string) =>
    fake.waitForRequest((r) => r.method === 'PATCH' && r.path.includes(`/${token}/messages/@original`));
  const bodyOf = (request: RecordedRequest) => request.body as Record<string, unknown>;

  test('/continue is deferred publicly, then a worker with only REST edits the deferred response', async () => {
    const { token } = fake.sendInteraction({ name: 'continue', options: prompt('the weather today') });
    const { command, context } = await sink.nextCommand();
    expect(command).toEqual({ name: 'continue', prompt: 'the weather today' });
    expect(context.channel).toEqual({ platform: 'discord', workspace: fake.guildId, channel: fake.channelId });
    expect(context.replyTo).toMatchObject({
      platform: 'discord',
      applicationId: fake.applicationId,
      interactionToken: token,
    });
    expect(bodyOf(await callbackOf(token))).toEqual({ type: 5, data: { flags: 0 } });

    // The generation worker: another process, REST only, the address from the queued job.
    const worker = new DiscordReplySender(discordRest(discordTestConfig(fake)));
    await worker.send(context.replyTo, { text: 'the weather today is fine and sunny', visibility: 'public' });
    expect(bodyOf(await editOf(token))).toEqual({
      content: 'the weather today is fine and sunny',
      allowed_mentions: { parse: [] },
      flags: SUPPRESS_EMBEDS,
    });
    expect(fake.originalOf(token)?.content).toBe('the weather today is fine and sunny');
  });

  test('passes optional temperature and words, and answers an out-of-range value privately without deferring', async () => {
    fake.sendInteraction({
      name: 'continue',
      options: [...prompt('hi'), { name: 'temperature', type: 10, value: 1.5 }, { name: 'words', type: 4, value: 12 }],
    });
    expect((await sink.nextCommand()).command).toEqual({ name: 'continue', prompt: 'hi', temperature: 1.5, words: 12 });

    // A stale registration without limits lets Discord send anything; we check again.
    const { token } = fake.sendInteraction({
      name: 'continue',
      options: [...prompt('hi'), { name: 'temperature', type: 10, value: 3 }],
    });
    expect(bodyOf(await callbackOf(token))).toMatchObject({
      type: 4,
      data: {
        content: renderReply('temperature.outOfRange', { min: 0, max: 2 }),
        flags: EPHEMERAL_NO_EMBEDS,
        allowed_mentions: { parse: [] },
      },
    });
    expect(sink.received).toHaveLength(1);
  });

  test('passes min_words on, and refuses one above the words asked for with the range', async () => {
    fake.sendInteraction({
      name: 'continue',
      options: [...prompt('hi'), { name: 'words', type: 4, value: 20 }, { name: 'min_words', type: 4, value: 12 }],
    });
    expect((await sink.nextCommand()).command).toEqual({ name: 'continue', prompt: 'hi', words: 20, minWords: 12 });

    const { token } = fake.sendInteraction({
      name: 'continue',
      options: [...prompt('hi'), { name: 'words', type: 4, value: 10 }, { name: 'min_words', type: 4, value: 11 }],
    });
    expect(bodyOf(await callbackOf(token))).toMatchObject({
      type: 4,
      data: { content: renderReply('continue.badMinWords', { min: 0, max: 10 }), flags: EPHEMERAL_NO_EMBEDS },
    });
    expect(sink.received).toHaveLength(1);
  });

  test('a member with Manage Channels sets the temperature, and the answer is public', async () => {
    answer = () => ({ text: 'Temperature set to 0.5 for this channel.', visibility: 'public' });
    const { token } = fake.sendInteraction({
      name: 'temperature',
      options: subcommand('set', [{ name: 'value', type: 10, value: 0.5 }]),
      permissions: MEMBER_PERMISSIONS | MANAGE_CHANNELS,
    });
    const { command, context } = await sink.nextCommand();
    expect(command).toEqual({ name: 'temperature', action: 'set', value: 0.5 });
    expect(context.caller).toMatchObject({ canManageChannel: true, canManageWorkspace: false });
    expect(bodyOf(await callbackOf(token))).toEqual({ type: 5, data: { flags: 0 } });
    expect(bodyOf(await editOf(token)).content).toBe('Temperature set to 0.5 for this channel.');
  });

  test('refuses a temperature change without Manage Channels, privately, before any handler runs', async () => {
    const { token } = fake.sendInteraction({
      name: 'temperature',
      options: subcommand('set', [{ name: 'value', type: 10, value: 0.5 }]),
      permissions: MEMBER_PERMISSIONS,
    });
    expect(bodyOf(await callbackOf(token))).toMatchObject({
      type: 4,
      data: { content: renderReply('temperature.forbidden'), flags: EPHEMERAL_NO_EMBEDS },
    });
    expect(sink.received).toHaveLength(0);
  });

  test('everyone may see the temperature; the answer is private', async () => {
    answer = () => ({ text: 'This channel’s temperature is 0.8.', visibility: 'public' });
    const { token } = fake.sendInteraction({ name: 'temperature', options: subcommand('show') });
    expect((await sink.nextCommand()).command).toEqual({ name: 'temperature', action: 'show' });
    expect(bodyOf(await callbackOf(token))).toEqual({ type: 5, data: { flags: 64 } });
    expect(bodyOf(await editOf(token)).content).toBe('This channel’s temperature is 0.8.');
  });

  test('retraining needs Manage Server', async () => {
    const refused = fake.sendInteraction({
      name: 'retrain',
      options: subcommand('start'),
      permissions: MEMBER_PERMISSIONS | MANAGE_CHANNELS,
    });
    expect(bodyOf(await callbackOf(refused.token))).toMatchObject({
      type: 4,
      data: { content: 'This needs the Manage Server permission.', flags: EPHEMERAL_NO_EMBEDS },
    });
    fake.sendInteraction({ name: 'forget', options: subcommand('me') });
    expect((await sink.nextCommand()).command).toEqual({ name: 'forget', scope: 'me' });
    expect(sink.received).toHaveLength(1);
  });

  test('Administrator counts as every right', async () => {
    fake.sendInteraction({ name: 'temperature', options: subcommand('reset'), permissions: ADMINISTRATOR });
    const { command, context } = await sink.nextCommand();
    expect(command).toEqual({ name: 'temperature', action: 'reset' });
    expect(context.caller).toMatchObject({ canManageChannel: true, canManageWorkspace: true });
  });

  test('refuses fewer /retrain messages than the policy minimum privately, as the handler would', async () => {
    const { token } = fake.sendInteraction({
      name: 'retrain',
      options: subcommand('start', [{ name: 'messages', type: 4, value: 9 }]),
      permissions: MEMBER_PERMISSIONS | MANAGE_GUILD,
    });
    expect(bodyOf(await callbackOf(token))).toMatchObject({
      type: 4,
      data: { content: renderReply('retrain.badMessages', { min: 10, max: 50_000 }), flags: EPHEMERAL_NO_EMBEDS },
    });
    expect(sink.received).toHaveLength(0);
  });

  test('/retrain says so when the bot cannot read the channel history', async () => {
    const { token } = fake.sendInteraction({
      name: 'retrain',
      options: subcommand('start', [{ name: 'messages', type: 4, value: 500 }]),
      permissions: MEMBER_PERMISSIONS | MANAGE_GUILD,
      appPermissions: MEMBER_PERMISSIONS & ~READ_MESSAGE_HISTORY,
    });
    expect(bodyOf(await callbackOf(token))).toMatchObject({
      type: 4,
      data: { content: expect.stringContaining('Read Message History') as string, flags: EPHEMERAL_NO_EMBEDS },
    });
    fake.sendInteraction({
      name: 'retrain',
      options: subcommand('start', [{ name: 'messages', type: 4, value: 500 }]),
      permissions: MEMBER_PERMISSIONS | MANAGE_GUILD,
    });
    expect((await sink.nextCommand()).command).toEqual({ name: 'retrain', action: 'start', messages: 500 });
  });

  test('splits an answer over 2,000 characters into the edited response and follow-ups', async () => {
    const words = Array.from({ length: 900 }, (_, i) => `word${i}`).join(' ');
    answer = () => ({ text: words, visibility: 'public' });
    const { token } = fake.sendInteraction({ name: 'continue', options: prompt('word0') });
    const edit = await editOf(token);
    const followupPath = `/webhooks/${fake.applicationId}/${token}`;
    await fake.waitForRequest(
      (r) => r.method === 'POST' && r.path === followupPath && String(bodyOf(r).content).endsWith('word899'),
    );
    const followups = fake.requestsMatching('POST', new RegExp(`^${followupPath}$`));
    const pieces = [bodyOf(edit).content as string, ...followups.map((r) => bodyOf(r).content as string)];
    expect(pieces.length).toBeGreaterThanOrEqual(4);
    for (const piece of pieces) expect(piece.length).toBeLessThanOrEqual(2000);
    expect(pieces.join(' ')).toBe(words);
    for (const r of followups) {
      expect(bodyOf(r).allowed_mentions).toEqual({ parse: [] });
      expect(bodyOf(r).flags).toBe(SUPPRESS_EMBEDS);
    }
  });

  test('the rest of a long answer to a private command stays private', async () => {
    answer = () => ({ text: 'x '.repeat(1500).trim(), visibility: 'public' });
    const { token } = fake.sendInteraction({ name: 'status' });
    const followup = await fake.waitForRequest(
      (r) => r.method === 'POST' && r.path === `/webhooks/${fake.applicationId}/${token}`,
    );
    expect(bodyOf(followup).flags).toBe(EPHEMERAL_NO_EMBEDS);
  });

  test('a mention in the prompt never pings: empty allowed_mentions and no live mention in the content', async () => {
    answer = ({ command }) => ({
      text: `${command.name === 'continue' ? command.prompt : ''} and so on`,
      visibility: 'public',
    });
    const { token } = fake.sendInteraction({
      name: 'continue',
      options: prompt('hey <@123456789012345678> <@&42> @everyone @here'),
    });
    const body = bodyOf(await editOf(token));
    expect(body.allowed_mentions).toEqual({ parse: [] });
    expect(body.content).not.toMatch(/<@|<#|@everyone|@here/);
    expect(body.content).toContain('123456789012345678');
  });

  test('a private answer after a public defer replaces the placeholder with an ephemeral follow-up', async () => {
    answer = () => ({ text: 'Slow down: at most 10 requests a minute.', visibility: 'private' });
    const { token } = fake.sendInteraction({ name: 'continue', options: prompt('hi') });
    const followup = await fake.waitForRequest(
      (r) => r.method === 'POST' && r.path === `/webhooks/${fake.applicationId}/${token}`,
    );
    expect(bodyOf(followup)).toMatchObject({
      content: 'Slow down: at most 10 requests a minute.',
      flags: EPHEMERAL_NO_EMBEDS,
    });
    expect(fake.requestsMatching('DELETE', /@original$/)).toHaveLength(1);
    expect(fake.requestsMatching('PATCH', /@original$/)).toHaveLength(0);
  });

  test('answers a DM with a short private explanation', async () => {
    const { token } = fake.sendInteraction({ name: 'continue', options: prompt('hi'), dm: true });
    expect(bodyOf(await callbackOf(token))).toMatchObject({
      type: 4,
      data: { content: expect.stringContaining('server channels') as string, flags: EPHEMERAL_NO_EMBEDS },
    });
    expect(sink.received).toHaveLength(0);
  });

  test('in a thread, the channel is the thread', async () => {
    const thread = fake.addChannel({ type: 11, parentId: fake.channelId });
    fake.sendInteraction({ name: 'status', channelId: thread.id });
    expect((await sink.nextCommand()).context.channel).toEqual({
      platform: 'discord',
      workspace: fake.guildId,
      channel: thread.id,
    });
  });

  test('a handler that throws gets a short private apology, not silence', async () => {
    answer = () => {
      throw new Error('redis exploded');
    };
    const { token } = fake.sendInteraction({ name: 'status' });
    const edit = await editOf(token);
    expect(bodyOf(edit).content).toBe(renderReply('command.internalError'));
  });
});
