import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSlackWebClient } from '../../src/adapters/slack/create-slack-web-client.js';
import { SlackReplySender } from '../../src/adapters/slack/slack-reply-sender.js';
import type { ReplyAddress } from '../../src/commands/reply-address.js';
import { createLogger } from '../../src/ops/logger.js';
import { FakeSlack } from './fake-slack/fake-slack.js';
import { testResponseUrlUses } from './fake-slack/fake-slack-clients.js';

const fake = new FakeSlack();
const logger = createLogger({ level: 'silent' });
let clock = 1_000_000;
let sender: SlackReplySender;
const urlUses = testResponseUrlUses({ now: () => clock });

function address(responseId: string, expiresAt = clock + 30 * 60_000): ReplyAddress {
  return {
    platform: 'slack',
    responseUrl: fake.responseUrl(responseId),
    channelId: 'CGENERAL',
    userId: 'UASKER',
    expiresAt,
  };
}

beforeAll(async () => {
  await fake.start();
  const client = createSlackWebClient({
    token: fake.botToken,
    apiUrl: fake.apiUrl,
    logger,
    retryConfig: { retries: 0 },
  });
  sender = new SlackReplySender({ client, logger, uses: urlUses.uses });
});

afterAll(async () => {
  await urlUses.close();
  await fake.stop();
});

describe('SlackReplySender against a fake Slack', () => {
  it('answers within the response_url lifetime with one JSON post that does not replace the original', async () => {
    await sender.send(address('fresh'), { text: 'a fresh answer', visibility: 'public' });
    expect(fake.responsePosts.filter((p) => p.id === 'fresh').map((p) => p.body)).toEqual([
      expect.objectContaining({ response_type: 'in_channel', replace_original: false, text: 'a fresh answer' }),
    ]);
    expect(fake.callsOf('chat.postMessage')).toHaveLength(0);
  });

  it('posts a late public answer with chat.postMessage once the response_url has expired', async () => {
    const late = address('late', clock + 30 * 60_000);
    clock += 31 * 60_000;
    await sender.send(late, { text: 'the late answer <@U999> <!here>', visibility: 'public' });
    expect(fake.responsePosts.some((p) => p.id === 'late')).toBe(false);
    const [call] = fake.callsOf('chat.postMessage');
    expect(call?.token).toBe(fake.botToken);
    expect(call?.args).toMatchObject({
      channel: 'CGENERAL',
      text: 'the late answer &lt;@U999&gt; &lt;!here&gt;',
      parse: 'none',
      link_names: 'false',
      unfurl_links: 'false',
      unfurl_media: 'false',
    });
  });

  it('posts a late private answer with chat.postEphemeral to the caller only', async () => {
    const late = address('late-private', clock - 1);
    await sender.send(late, { text: 'only for you', visibility: 'private' });
    const [call] = fake.callsOf('chat.postEphemeral');
    expect(call?.args).toMatchObject({ channel: 'CGENERAL', user: 'UASKER', text: 'only for you' });
  });

  it('uses a response_url five times at most, then chat.postMessage', async () => {
    const busy = address('busy');
    const before = fake.callsOf('chat.postMessage').length;
    for (let i = 1; i <= 6; i += 1) await sender.send(busy, { text: `answer ${i}`, visibility: 'public' });
    expect(fake.responsePosts.filter((p) => p.id === 'busy').map((p) => p.body.text)).toEqual([
      'answer 1',
      'answer 2',
      'answer 3',
      'answer 4',
      'answer 5',
    ]);
    expect(
      fake
        .callsOf('chat.postMessage')
        .slice(before)
        .map((c) => c.args.text),
    ).toEqual(['answer 6']);
  });

  it('falls back to chat.postMessage when Slack refuses the response_url', async () => {
    fake.expiredResponseIds.add('refused');
    const before = fake.callsOf('chat.postMessage').length;
    await sender.send(address('refused'), { text: 'still delivered', visibility: 'public' });
    expect(
      fake
        .callsOf('chat.postMessage')
        .slice(before)
        .map((c) => c.args.text),
    ).toEqual(['still delivered']);
  });

  it('fails loudly, for the job to retry after the wait Slack asks for, when Slack rate-limits the fallback post', async () => {
    fake.fault('chat.postMessage', {
      status: 429,
      headers: { 'retry-after': '7' },
      body: { ok: false, error: 'ratelimited' },
    });
    await expect(sender.send(address('gone', clock - 1), { text: 'x', visibility: 'public' })).rejects.toMatchObject({
      code: 'SLACK_RATE_LIMITED',
      retryable: true,
      retryAfterMs: 7000,
    });
  });

  it('fails for good when Slack refuses the post itself (the bot left the channel)', async () => {
    fake.fault('chat.postMessage', { status: 200, body: { ok: false, error: 'not_in_channel' } });
    await expect(sender.send(address('gone2', clock - 1), { text: 'x', visibility: 'public' })).rejects.toMatchObject({
      code: 'SLACK_NOT_IN_CHANNEL',
      retryable: false,
      message: expect.stringContaining('not_in_channel'),
    });
  });

  it('names the reply in message metadata on public posts, response_url and chat.postMessage alike', async () => {
    const delivery = { id: 'reply-42', firstAttemptAt: Date.now(), mayHavePosted: false };
    await sender.send(address('meta'), { text: 'tagged', visibility: 'public', delivery });
    await sender.send(address('meta-late', clock - 1), { text: 'tagged late', visibility: 'public', delivery });
    const metadata = { event_type: 'lstm_bot_reply', event_payload: { reply_id: 'reply-42' } };
    expect(fake.responsePosts.find((p) => p.id === 'meta')?.body.metadata).toEqual(metadata);
    const late = fake.callsOf('chat.postMessage').find((c) => c.args.text === 'tagged late');
    expect(JSON.parse(String(late?.args.metadata))).toEqual(metadata);
  });

  it('posts an interrupted reply again, with a warning, when Slack will not show the channel to check', async () => {
    fake.history.set('CHIDDEN', 'not_in_channel');
    const delivery = { id: 'reply-hidden', firstAttemptAt: Date.now(), mayHavePosted: true };
    const hidden: ReplyAddress = { ...address('hidden'), channelId: 'CHIDDEN' };
    await sender.send(hidden, { text: 'better twice than never', visibility: 'public', delivery });
    expect(fake.callsOf('conversations.history').some((c) => c.args.channel === 'CHIDDEN')).toBe(true);
    expect(fake.responsePosts.filter((p) => p.id === 'hidden').map((p) => p.body.text)).toEqual([
      'better twice than never',
    ]);
  });

  it('refuses an address of another platform with a coded error', async () => {
    await expect(
      sender.send({ platform: 'console', sessionId: 's', channelId: 'c' }, { text: 'x', visibility: 'public' }),
    ).rejects.toMatchObject({ code: 'SLACK_WRONG_PLATFORM' });
  });
});
