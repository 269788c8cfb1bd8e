import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SlackReplySender } from '../../src/adapters/slack/slack-reply-sender.js';
import type { ReplyAddress, SentReply } from '../../src/commands/reply-address.js';
import { createLogger } from '../../src/ops/logger.js';
import { FakeSlack } from './fake-slack/fake-slack.js';
import { fakeSlackReplySender, testResponseUrlUses } from './fake-slack/fake-slack-clients.js';

const fake = new FakeSlack();
const logger = createLogger({ level: 'silent' });
let sender: SlackReplySender;
const urlUses = testResponseUrlUses();

const address = (channelId: string): ReplyAddress => ({
  platform: 'slack',
  responseUrl: fake.responseUrl(`status-${channelId}`),
  channelId,
  userId: 'UADMIN',
  expiresAt: Date.now() + 30 * 60_000,
});

const state = (channelId: string, text: string, messageRef?: string) =>
  sender.send(address(channelId), {
    text,
    visibility: 'public',
    status: { key: 'train-r1', stage: 'training', messageRef },
  });

beforeAll(async () => {
  await fake.start();
  sender = fakeSlackReplySender(fake, urlUses.uses, logger);
});

afterAll(async () => {
  await urlUses.close();
  await fake.stop();
});

describe('a status message on Slack', () => {
  it('is posted once, then updated in place with chat.update, quietly', async () => {
    const first = (await state('CSTATUS', 'Retraining: loading the base model.')) as SentReply;
    const [post] = fake.callsOf('chat.postMessage');
    expect(post?.args).toMatchObject({ channel: 'CSTATUS', parse: 'none', link_names: 'false' });
    const { ts } = JSON.parse(first.messageRef!) as { ts: string };
    expect(fake.messages.get(ts)?.text).toBe('Retraining: loading the base model.');

    const second = (await state('CSTATUS', 'Retraining: epoch 1/2 <!here>', first.messageRef)) as SentReply;
    expect(second.messageRef).toBe(first.messageRef);
    expect(fake.callsOf('chat.postMessage')).toHaveLength(1);
    expect(fake.callsOf('chat.update').at(-1)?.args).toMatchObject({ channel: 'CSTATUS', ts, parse: 'none' });
    // Updated text is made inert like any post.
    expect(fake.messages.get(ts)?.text).toBe('Retraining: epoch 1/2 &lt;!here&gt;');
    expect(fake.responsePosts).toHaveLength(0);
  });

  it('posts a new message when the old one cannot be updated (deleted), and updates that one afterwards', async () => {
    const first = (await state('CGONE', 'Retraining: loading the base model.')) as SentReply;
    fake.messages.clear();
    const second = (await state('CGONE', 'Retraining: epoch 1/2', first.messageRef)) as SentReply;
    expect(second.messageRef).not.toBe(first.messageRef);
    const { ts } = JSON.parse(second.messageRef!) as { ts: string };
    expect(fake.messages.get(ts)?.text).toBe('Retraining: epoch 1/2');
    await state('CGONE', 'Retrained.', second.messageRef);
    expect(fake.messages.get(ts)?.text).toBe('Retrained.');
    expect(fake.callsOf('chat.postMessage').filter((c) => c.args.channel === 'CGONE')).toHaveLength(2);
  });

  it('goes through the response_url when the bot may not post in the channel', async () => {
    fake.fault('chat.postMessage', { status: 200, body: { ok: false, error: 'not_in_channel' } });
    const sent = await state('CNOTIN', 'Retraining: loading the base model.');
    expect(sent).toBeUndefined();
    expect(fake.responsePosts.find((p) => p.id === 'status-CNOTIN')?.body).toMatchObject({
      response_type: 'in_channel',
      text: 'Retraining: loading the base model.',
    });
  });
});
