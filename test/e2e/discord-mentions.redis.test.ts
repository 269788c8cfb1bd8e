import { describe, expect, test } from 'vitest';
import { renderReply } from '../../src/replies/reply-catalogue.js';
import { usePipelineScope } from '../helpers/pipeline-harness.js';
import {
  MANAGE_CHANNELS,
  MEMBER_PERMISSIONS,
  type FakeDiscord,
  type RecordedRequest,
} from './fake-discord/fake-discord.js';
import type { PostedMessage } from './fake-discord/fake-discord-message.js';
import { startDiscordPipeline } from './fake-discord/start-discord-pipeline.js';
import { GUILD_MESSAGES_INTENT, MESSAGE_CONTENT_INTENT } from './fake-discord/fake-gateway-message.js';

/**
 * Replies when mentioned, through the real discord.js client on the fake gateway (MESSAGE_CREATE with
 * its intents), the command handlers, BullMQ on Redis, a generation worker and reply delivery.
 */
describe('Discord mentions through the real pipeline', () => {
  const scope = usePipelineScope();
  /** A second text channel of the guild, known to discord.js from GUILD_CREATE. */
  let other = '';

  const start = (overrides = {}): Promise<FakeDiscord> =>
    startDiscordPipeline(scope, overrides, (fake) => {
      other = fake.addChannel({}).id;
    });

  const posts = (fake: FakeDiscord, channelId = fake.channelId) =>
    fake.requestsMatching('POST', new RegExp(`^/channels/${channelId}/messages$`)).map((r) => r.body as PostedMessage);
  const answerTo = (fake: FakeDiscord, messageId: string) =>
    fake
      .waitForRequest(
        (r: RecordedRequest) =>
          r.method === 'POST' && (r.body as PostedMessage).message_reference?.message_id === messageId,
      )
      .then((r) => r.body as PostedMessage);

  async function mentionsOn(fake: FakeDiscord, channelId = fake.channelId): Promise<void> {
    const { token } = fake.sendInteraction({
      name: 'settings',
      channelId,
      options: [{ name: 'mentions', type: 1, options: [{ name: 'state', type: 3, value: 'on' }] }],
      permissions: MEMBER_PERMISSIONS | MANAGE_CHANNELS,
    });
    const edit = await fake.waitForRequest(
      (r) => r.method === 'PATCH' && r.path.endsWith(`/${token}/messages/@original`),
    );
    expect((edit.body as PostedMessage).content).toBe(renderReply('settings.mentionsOn'));
  }

  test('asks for Guild Messages but not the privileged Message Content intent', async () => {
    const fake = await start();
    const { intents } = fake.identifies[0] as { intents: number };
    expect(intents & GUILD_MESSAGES_INTENT).toBe(GUILD_MESSAGES_INTENT);
    expect(intents & MESSAGE_CONTENT_INTENT).toBe(0);
  });

  test('with mentions on, a mention is answered in the channel as a reply, the text after the mention as the prompt', async () => {
    const fake = await start();
    await mentionsOn(fake);
    const { id, dispatched } = fake.sendMessage({ content: `<@${fake.botUserId}> the weather <@42>` });
    expect(dispatched).toBe(true);
    const answer = await answerTo(fake, id);
    expect(answer.content).toBe('the weather <\u200b@42> basew0 basew1 basew2 basew3 basew4');
    expect(answer.allowed_mentions).toEqual({ parse: [] });
  });

  test('a mention with nothing after it gets the short usage answer', async () => {
    const fake = await start();
    await mentionsOn(fake);
    const { id } = fake.sendMessage({ content: `<@!${fake.botUserId}>` });
    expect((await answerTo(fake, id)).content).toBe(renderReply('mention.emptyPrompt'));
  });

  test('with mentions off (the default), a mention gets no answer while another channel answers', async () => {
    const fake = await start();
    await mentionsOn(fake, other);
    const ignored = fake.sendMessage({ content: `<@${fake.botUserId}> hello there` });
    const answered = fake.sendMessage({ channelId: other, content: `<@${fake.botUserId}> hello there` });
    await answerTo(fake, answered.id);
    // Handled in order on one Redis connection: the first mention was decided before the second was queued.
    expect(posts(fake).filter((p) => p.message_reference?.message_id === ignored.id)).toEqual([]);
  });

  test('ignores other bots, the bot’s own messages, webhooks and @everyone', async () => {
    const fake = await start();
    await mentionsOn(fake);
    const mention = `<@${fake.botUserId}> hello there`;
    const ignored = [
      fake.sendMessage({ content: mention, bot: true }),
      fake.sendMessage({ content: mention, authorId: fake.botUserId, bot: true }),
      fake.sendMessage({ content: mention, webhookId: '1234567890123' }),
      fake.sendMessage({ content: '@everyone hello there', mentionIds: [], mentionEveryone: true }),
    ];
    const person = fake.sendMessage({ content: mention });
    await answerTo(fake, person.id);
    const repliedTo = posts(fake).map((p) => p.message_reference?.message_id);
    expect(repliedTo.filter((id) => ignored.some((message) => message.id === id))).toEqual([]);
  });

  test('a mention counts against the same rate limits as /continue', async () => {
    const fake = await start({ RATE_LIMIT_USER_PER_MINUTE: 1 });
    await mentionsOn(fake);
    const userId = '3333333333333333';
    const first = fake.sendMessage({ authorId: userId, content: `<@${fake.botUserId}> one` });
    expect((await answerTo(fake, first.id)).content).toMatch(/^one basew0/);
    const second = fake.sendMessage({ authorId: userId, content: `<@${fake.botUserId}> two` });
    expect((await answerTo(fake, second.id)).content).toMatch(/^You are sending requests too fast/);
  });

  test('refuses /settings mentions on to a member without Manage Channels, privately', async () => {
    const fake = await start();
    const { token } = fake.sendInteraction({
      name: 'settings',
      options: [{ name: 'mentions', type: 1, options: [{ name: 'state', type: 3, value: 'on' }] }],
    });
    const callback = await fake.waitForRequest((r) => r.method === 'POST' && r.path.endsWith(`/${token}/callback`));
    expect(callback.body).toMatchObject({ type: 4, data: { content: renderReply('settings.forbidden') } });
    const show = fake.sendInteraction({ name: 'settings', options: [{ name: 'show', type: 1, options: [] }] });
    const edit = await fake.waitForRequest(
      (r) => r.method === 'PATCH' && r.path.endsWith(`/${show.token}/messages/@original`),
    );
    expect((edit.body as PostedMessage).content).toContain('Mentions: off');
  });
});
