import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import type { ChannelRef } from '../../src/commands/channel-ref.js';
import { RedisHistoryStore } from '../../src/history/redis-history-store.js';
import type { StoredMessage } from '../../src/history/stored-message.js';
import { renderReply } from '../../src/replies/reply-catalogue.js';
import { TEST_REDIS_URL } from '../helpers/redis-test-env.js';
import { tinyModelContextWorker } from '../helpers/tiny-model-context-worker.js';
import { useSlackChannelPipeline } from './fake-slack/slack-channel-harness.js';
import { postSlashCommand } from './fake-slack/slack-request.js';

/**
 * `/lstm-settings context on` through signed slash commands to the real Bolt app, the command handlers,
 * BullMQ on Redis and a generation worker running the tiny real LSTM at temperature 0 (the same request,
 * the same answer), with the worker's reader of the stored history (each read recorded). The stored
 * messages are Slack's markup as an export holds it: a mention, a link with its label.
 */
const SIGNING_SECRET = 'context-test-signing-secret';
const reads: { channel: ChannelRef; context: string[] }[] = [];
const { fake, url, signing, settings, switchOn, prefix } = useSlackChannelPipeline(
  SIGNING_SECRET,
  {},
  {
    worker: (p) => tinyModelContextWorker(p, reads),
  },
);
afterEach(() => void (reads.length = 0));

/** The member later runs `/forget me`; the admin stays. */
const LEAVERS = [
  'my dog looks tired today!',
  'my dog <https://example.com/dog|looks tired>',
  'i think my dog played well today.',
];
const STAYERS = ['<@UMEMBER> the band ran fast.', 'the band sounds good!'];
const stored = (texts: string[], author: string): StoredMessage[] => texts.map((text) => ({ text, author }));

async function storeHistory(channel: string, messages: StoredMessage[]): Promise<void> {
  const redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: 1 });
  try {
    // As `lstm-bot import` stores a channel's messages.
    await new RedisHistoryStore(redis, prefix(), 1_000).append(ref(channel), messages);
  } finally {
    redis.disconnect();
  }
}

const ref = (channel: string): ChannelRef => ({ platform: 'slack', workspace: fake().teamId, channel });

let asked = 0;
/** `/continue did you see the --temperature 0` in `channel`, and its public answer. */
async function ask(channel: string): Promise<string> {
  const id = `ask-${++asked}`;
  const fields = {
    command: '/continue',
    text: 'did you see the --temperature 0 --words 8',
    user_id: 'UADMIN',
    channel_id: channel,
  };
  const response = await postSlashCommand(
    url(),
    { ...fields, team_id: fake().teamId, response_url: fake().responseUrl(id) },
    signing,
  );
  expect(response.status).toBe(200);
  const answer = await fake().waitFor(
    () => fake().responsePosts.find((p) => p.id === id && p.body.response_type === 'in_channel')?.body,
  );
  return String(answer.text);
}

describe('Slack /lstm-settings context through the real pipeline', () => {
  it('on by an admin, the same greedy /continue reads the stored messages and answers otherwise; off reads nothing', async () => {
    await storeHistory('CCTX1', [...stored(LEAVERS, 'UMEMBER'), ...stored(STAYERS, 'UADMIN')]);
    const bare = await ask('CCTX1');
    expect(bare).toMatch(/^did you see the\b/);
    expect(reads).toEqual([]);

    const refused = await settings('CCTX1', 'UMEMBER', 'context on');
    expect(JSON.parse(refused.body)).toEqual({ response_type: 'ephemeral', text: renderReply('settings.forbidden') });
    expect(await ask('CCTX1')).toBe(bare);
    expect(reads).toEqual([]);

    expect(await switchOn('CCTX1', 'context')).toMatchObject({ body: { text: renderReply('settings.contextOn') } });
    const primed = await ask('CCTX1');
    expect(primed).toMatch(/^did you see the\b/);
    expect(primed).not.toBe(bare);
    expect(reads).toEqual([{ channel: ref('CCTX1'), context: [...LEAVERS, ...STAYERS] }]);
    expect(await ask('COTHER')).toBe(bare);

    expect((await settings('CCTX1', 'UADMIN', 'context off')).status).toBe(200);
    expect(await ask('CCTX1')).toBe(bare);
    expect(reads).toHaveLength(1);
  });

  it('after /forget me the user’s messages are no longer read: the answer is that of a channel without them', async () => {
    await storeHistory('CCTX2', [...stored(LEAVERS, 'UMEMBER'), ...stored(STAYERS, 'UADMIN')]);
    await storeHistory('CCTX3', stored(STAYERS, 'UADMIN'));
    await switchOn('CCTX2', 'context');
    await switchOn('CCTX3', 'context');
    const withBoth = await ask('CCTX2');
    const withoutLeaver = await ask('CCTX3');
    expect(withBoth).not.toBe(withoutLeaver);

    const fields = { command: '/forget', text: 'me', user_id: 'UMEMBER', channel_id: 'CCTX2', team_id: fake().teamId };
    const forget = await postSlashCommand(url(), { ...fields, response_url: fake().responseUrl('forget') }, signing);
    expect(JSON.parse(forget.body)).toEqual({
      response_type: 'ephemeral',
      text: renderReply('forget.me', { removed: LEAVERS.length }),
    });
    expect(await ask('CCTX2')).toBe(withoutLeaver);
    expect(reads.at(-1)).toEqual({ channel: ref('CCTX2'), context: STAYERS });
  });
});
