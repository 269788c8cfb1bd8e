import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createSlackHistoryReader,
  type SlackHistoryReader,
} from '../../src/adapters/slack/create-slack-history-reader.js';
import type { HistoryMessage } from '../../src/history/history-source.js';
import { configSchema } from '../../src/config/schema.js';
import { createLogger } from '../../src/ops/logger.js';
import { FakeSlack, type FakeSlackMessage } from './fake-slack/fake-slack.js';

const fake = new FakeSlack();
let read: SlackHistoryReader;

/** Newest first, as Slack returns them: 6 people's messages among a bot's, a join and an edit. */
const CHANNEL: FakeSlackMessage[] = [
  { ts: '1700000009.000100', user: 'UANN', text: 'see you &lt;tomorrow&gt; &amp; after' },
  { ts: '1700000008.000100', user: 'UBOB', text: 'ask <@U0CAROL|carol> in <#C0DEV|dev>' },
  { ts: '1700000007.000100', bot_id: 'BOTHER', user: 'UBOTUSER', text: 'I am a bot' },
  { ts: '1700000006.000100', user: 'UCAROL', subtype: 'channel_join', text: '<@UCAROL> has joined the channel' },
  { ts: '1700000005.000100', user: 'UANN', text: 'the build is green' },
  { ts: '1700000004.000100', subtype: 'bot_message', bot_id: 'B1', text: 'deploy finished' },
  { ts: '1700000003.000100', user: 'UBOB', subtype: 'message_changed', text: '' },
  { ts: '1700000002.000100', user: 'UCAROL', text: 'read <https://example.com/doc|the doc> first' },
  { ts: '1700000001.000100', user: 'UANN', text: 'morning all' },
  { ts: '1700000000.000100', user: 'UBOB', text: 'first!' },
];

async function collect(iterable: AsyncIterable<HistoryMessage>): Promise<HistoryMessage[]> {
  const out: HistoryMessage[] = [];
  for await (const message of iterable) out.push(message);
  return out;
}

beforeAll(async () => {
  await fake.start();
  fake.history.set('CGENERAL', CHANNEL);
  fake.history.set('CSECRET', 'not_in_channel');
  const config = configSchema.parse({
    SLACK_BOT_TOKEN: fake.botToken,
    SLACK_API_URL: fake.apiUrl,
    SLACK_HISTORY_PAGE_SIZE: '3',
  });
  read = createSlackHistoryReader(config, createLogger({ level: 'silent' }), { retries: 0 })!;
});

afterAll(async () => {
  await fake.stop();
});

describe('Slack history reader against a fake Slack', () => {
  it('pages with the cursor, waits out a 429 for its Retry-After and asks the same page again', async () => {
    const before = fake.callsOf('conversations.history').length;
    fake.fault(
      'conversations.history',
      { status: 429, headers: { 'retry-after': '1' }, body: { ok: false, error: 'ratelimited' } },
      { skip: 1 },
    );
    const waits: number[] = [];
    const pages: (string | undefined)[] = [];
    const messages = await collect(
      read({
        channel: 'CGENERAL',
        onPage: ({ nextCursor }) => pages.push(nextCursor),
        sleep: async (ms) => {
          waits.push(ms);
          await new Promise((resolve) => setTimeout(resolve, ms));
        },
      }),
    );

    expect(messages.map((m) => [m.authorId, m.text])).toEqual([
      ['UANN', 'see you <tomorrow> & after'],
      ['UBOB', 'ask @carol in #dev'],
      ['UANN', 'the build is green'],
      ['UCAROL', 'read the doc first'],
      ['UANN', 'morning all'],
      ['UBOB', 'first!'],
    ]);
    expect(messages[0]).toEqual({
      id: '1700000009.000100',
      authorId: 'UANN',
      text: 'see you <tomorrow> & after',
      timestamp: 1700000009000,
    });
    expect(waits).toEqual([1000]);
    const calls = fake.callsOf('conversations.history').slice(before);
    // 4 pages of 3 out of 10 messages, plus the rate-limited request repeated with the same cursor.
    expect(calls.map((c) => c.args.limit)).toEqual(['3', '3', '3', '3', '3']);
    expect(calls[1]?.args.cursor).toBeDefined();
    expect(calls[2]?.args.cursor).toBe(calls[1]?.args.cursor);
    expect(pages).toHaveLength(4);
    expect(pages.at(-1)).toBeUndefined();
  });

  it('resumes from the checkpoint cursor: what was read before it plus the rest is the whole history', async () => {
    let checkpoint: { cursor: string | undefined; read: number } | undefined;
    const head: HistoryMessage[] = [];
    for await (const message of read({
      channel: 'CGENERAL',
      onPage: ({ nextCursor }) => (checkpoint ??= { cursor: nextCursor, read: head.length }),
    })) {
      head.push(message);
      if (checkpoint !== undefined) break; // a trainer killed during the second page
    }
    expect(checkpoint?.cursor).toBeDefined();
    const rest = await collect(read({ channel: 'CGENERAL', cursor: checkpoint?.cursor }));
    expect([...head.slice(0, checkpoint?.read), ...rest].map((m) => m.text)).toEqual([
      'see you <tomorrow> & after',
      'ask @carol in #dev',
      'the build is green',
      'read the doc first',
      'morning all',
      'first!',
    ]);
  });

  it('resumes exactly after the last message yielded (before = its id) and stops at maxMessages', async () => {
    const head = await collect(read({ channel: 'CGENERAL', maxMessages: 2 }));
    expect(head.map((m) => m.text)).toEqual(['see you <tomorrow> & after', 'ask @carol in #dev']);
    const rest = await collect(read({ channel: 'CGENERAL', before: head.at(-1)?.id }));
    expect(rest.map((m) => m.text)).toEqual(['the build is green', 'read the doc first', 'morning all', 'first!']);
  });

  it('explains that the bot must be invited when it is not in the channel', async () => {
    await expect(collect(read({ channel: 'CSECRET' }))).rejects.toMatchObject({
      code: 'SLACK_NOT_IN_CHANNEL',
      message: expect.stringContaining('invite'),
    });
  });

  it('names a channel that does not exist with its own code', async () => {
    await expect(collect(read({ channel: 'CNOPE' }))).rejects.toMatchObject({ code: 'SLACK_CHANNEL_NOT_FOUND' });
  });

  it('gives up with SLACK_RATE_LIMITED after too many 429s in a row', async () => {
    for (let i = 0; i < 3; i += 1) {
      fake.fault('conversations.history', { status: 429, headers: { 'retry-after': '0' }, body: { ok: false } });
    }
    await expect(collect(read({ channel: 'CGENERAL', maxRateLimitWaits: 2 }))).rejects.toMatchObject({
      code: 'SLACK_RATE_LIMITED',
    });
  });
});
