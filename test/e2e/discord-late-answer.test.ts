import { MessageFlags } from 'discord.js';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { DiscordReplySender } from '../../src/adapters/discord/discord-reply-sender.js';
import { discordRest } from '../../src/adapters/discord/discord-rest.js';
import type { DiscordChatAdapter } from '../../src/adapters/discord/discord-chat-adapter.js';
import type { ReplyAddress } from '../../src/commands/reply-address.js';
import { discordTestConfig, startDiscordAdapter } from './fake-discord/discord-test-config.js';
import { FakeCommandSink } from './fake-discord/fake-command-sink.js';
import { FakeDiscord } from './fake-discord/fake-discord.js';

describe('an answer that arrives after the interaction window', () => {
  let fake: FakeDiscord;
  let adapter: DiscordChatAdapter;
  let sink: FakeCommandSink;

  beforeEach(async () => {
    fake = await FakeDiscord.start();
    sink = new FakeCommandSink(() => undefined);
    adapter = await startDiscordAdapter(fake, sink);
  });

  afterEach(async () => {
    await adapter.stop();
    await fake.close();
  });

  async function deferredContinue(): Promise<{ token: string; replyTo: ReplyAddress }> {
    const { token } = fake.sendInteraction({ name: 'continue', options: [{ name: 'prompt', type: 3, value: 'hi' }] });
    const { context } = await sink.nextCommand();
    await fake.waitForRequest((r) => r.method === 'POST' && r.path.endsWith(`/${token}/callback`));
    return { token, replyTo: context.replyTo };
  }

  const channelPosts = () => fake.requestsMatching('POST', new RegExp(`^/channels/${fake.channelId}/messages$`));

  test('goes out as a channel message once expiresAt has passed, without trying the dead token', async () => {
    const { replyTo } = await deferredContinue();
    expect(replyTo.platform === 'discord' && replyTo.expiresAt).toBeGreaterThan(Date.now() + 14 * 60_000);
    const later = new DiscordReplySender(discordRest(discordTestConfig(fake)), { now: () => Date.now() + 16 * 60_000 });

    await later.send(replyTo, { text: 'hi there <@99> friend', visibility: 'public' });

    expect(channelPosts().map((r) => r.body)).toEqual([
      { content: 'hi there <\u200b@99> friend', allowed_mentions: { parse: [] }, flags: MessageFlags.SuppressEmbeds },
    ]);
    expect(channelPosts()[0]?.authorization).toBe(`Bot ${fake.token}`);
    expect(fake.requestsMatching('PATCH', /@original$/)).toHaveLength(0);
  });

  test('a second late answer to the same interaction edits the first channel message', async () => {
    const { replyTo } = await deferredContinue();
    const later = new DiscordReplySender(discordRest(discordTestConfig(fake)), { now: () => Date.now() + 16 * 60_000 });

    await later.send(replyTo, { text: 'reading 100 of 500 messages', visibility: 'public' });
    await later.send(replyTo, { text: 'reading 500 of 500 messages', visibility: 'public' });

    expect(channelPosts()).toHaveLength(1);
    const channel = fake.channels.get(fake.channelId);
    expect(channel?.messages.map((m) => m.content)).toEqual(['reading 500 of 500 messages']);
    const [edit] = fake.requestsMatching('PATCH', new RegExp(`^/channels/${fake.channelId}/messages/\\d+$`));
    expect(edit?.body).toEqual({
      content: 'reading 500 of 500 messages',
      allowed_mentions: { parse: [] },
      flags: MessageFlags.SuppressEmbeds,
    });
  });

  test('a late status message is edited by any bot process: its channel message comes back as the reference', async () => {
    const { replyTo } = await deferredContinue();
    const late = { now: () => Date.now() + 16 * 60_000 };
    const [one, two] = [0, 1].map(() => new DiscordReplySender(discordRest(discordTestConfig(fake)), late));
    const state = (sender: DiscordReplySender, text: string, messageRef?: string) =>
      sender!.send(replyTo, { text, visibility: 'public', status: { key: 'train-r1', stage: 'training', messageRef } });

    const first = await state(one!, 'Retraining: epoch 1/2');
    const ref = first ? first.messageRef : undefined;
    expect(ref).toBe(fake.channels.get(fake.channelId)?.messages[0]?.id);
    // Another bot process (or this one restarted) knows the message only by the stored reference.
    expect(await state(two!, 'Retrained.', ref)).toEqual({ messageRef: ref });
    expect(channelPosts()).toHaveLength(1);
    expect(fake.channels.get(fake.channelId)?.messages.map((m) => m.content)).toEqual(['Retrained.']);

    // Deleted meanwhile: a new message stands in, and becomes the reference.
    fake.channels.get(fake.channelId)!.messages.length = 0;
    const again = await state(two!, 'Retraining: epoch 2/2', ref);
    expect(again && again.messageRef).not.toBe(ref);
    expect(fake.channels.get(fake.channelId)?.messages.map((m) => [m.id, m.content])).toEqual([
      [again && again.messageRef, 'Retraining: epoch 2/2'],
    ]);
  });

  test('goes out as a channel message when Discord rejects the interaction token', async () => {
    const { token, replyTo } = await deferredContinue();
    fake.expireInteraction(token);
    const sender = new DiscordReplySender(discordRest(discordTestConfig(fake)));

    await sender.send(replyTo, { text: 'late but here', visibility: 'public' });

    expect(fake.requestsMatching('PATCH', /@original$/)).toHaveLength(1);
    expect(channelPosts().map((r) => (r.body as { content: string }).content)).toEqual(['late but here']);
  });

  test('sends only the pieces not yet delivered when the token dies in the middle of a long answer', async () => {
    const { token, replyTo } = await deferredContinue();
    const text = Array.from({ length: 700 }, (_, i) => `w${i}`).join(' ');
    fake.injectOnce('POST', new RegExp(`^/webhooks/${fake.applicationId}/${token}$`), {
      status: 401,
      body: { message: 'Invalid Webhook Token', code: 50027 },
    });
    const sender = new DiscordReplySender(discordRest(discordTestConfig(fake)));

    await sender.send(replyTo, { text, visibility: 'public' });

    const edited = fake.originalOf(token)?.content ?? '';
    const posted = channelPosts().map((r) => (r.body as { content: string }).content);
    expect([edited, ...posted].join(' ')).toBe(text);
  });

  test('the adapter still delivers answers after its gateway connection stopped', async () => {
    const { token, replyTo } = await deferredContinue();
    await adapter.stop();
    await adapter.sender.send(replyTo, { text: 'still here', visibility: 'public' });
    expect(fake.originalOf(token)?.content).toBe('still here');
  });

  test('waits out a 429 on the edit and then delivers, once', async () => {
    const { token, replyTo } = await deferredContinue();
    fake.rateLimitOnce('PATCH', /@original$/, 0.1);
    await adapter.sender.send(replyTo, { text: 'after the wait', visibility: 'public' });
    expect(fake.requestsMatching('PATCH', /@original$/)).toHaveLength(2);
    expect(fake.originalOf(token)?.content).toBe('after the wait');
    expect(channelPosts()).toHaveLength(0);
  });

  test('a rejected token does not make the bot forget its own token', async () => {
    const { token, replyTo } = await deferredContinue();
    fake.expireInteraction(token);
    await adapter.sender.send(replyTo, { text: 'one', visibility: 'public' });
    await adapter.sender.send(replyTo, { text: 'two', visibility: 'public' });
    const channelRequests = fake.requests.filter((r) => r.path.startsWith(`/channels/${fake.channelId}/messages`));
    expect(channelRequests.map((r) => `${r.method} ${r.authorization}`)).toEqual([
      `POST Bot ${fake.token}`,
      `PATCH Bot ${fake.token}`,
    ]);
  });
});
