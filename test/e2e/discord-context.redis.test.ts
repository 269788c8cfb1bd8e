import { Redis } from 'ioredis';
import { describe, expect, test } from 'vitest';
import type { ChannelRef } from '../../src/commands/channel-ref.js';
import { RedisHistoryStore } from '../../src/history/redis-history-store.js';
import type { StoredMessage } from '../../src/history/stored-message.js';
import { renderReply } from '../../src/replies/reply-catalogue.js';
import { usePipelineScope } from '../helpers/pipeline-harness.js';
import { TEST_REDIS_URL } from '../helpers/redis-test-env.js';
import { tinyModelContextWorker } from '../helpers/tiny-model-context-worker.js';
import { MANAGE_CHANNELS, MEMBER_PERMISSIONS, type FakeDiscord } from './fake-discord/fake-discord.js';
import { startDiscordPipeline } from './fake-discord/start-discord-pipeline.js';

/** Two people of the guild whose messages an import stored: the first later runs `/forget me`. */
const LEAVER = '222222222222222222';
const STAYER = '333333333333333333';
const LEAVERS = ['my dog looks tired today.', 'my dog looks tired!', 'my dog played well.'];
const STAYERS = ['the band ran fast.', 'the band sounds good!'];
const stored = (texts: string[], author: string): StoredMessage[] => texts.map((text) => ({ text, author }));

/**
 * `/settings context on` through the real discord.js client on the fake gateway, the command handlers,
 * BullMQ on Redis and a generation worker running the tiny real LSTM at temperature 0 (the likeliest
 * word each time, so the same request gets the same answer), with the worker's reader of the stored
 * history (each read recorded).
 */
describe('Discord /settings context through the real pipeline', () => {
  const scope = usePipelineScope();
  const reads: { channel: ChannelRef; context: string[] }[] = [];
  let other = '';

  async function start(): Promise<{ fake: FakeDiscord; history: RedisHistoryStore; ref: (id: string) => ChannelRef }> {
    reads.length = 0;
    const worker = tinyModelContextWorker(scope.prefix, reads);
    const fake = await startDiscordPipeline(scope, {}, (f) => void (other = f.addChannel({}).id), { worker });
    const redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: 1 });
    scope.closers.push(async () => redis.disconnect());
    // As `lstm-bot import` stores a channel's messages.
    const history = new RedisHistoryStore(redis, scope.prefix, 1_000);
    const ref = (channel: string): ChannelRef => ({ platform: 'discord', workspace: fake.guildId, channel });
    return { fake, history, ref };
  }

  /** The deferred response's edit: the command's answer. */
  const answer = async (fake: FakeDiscord, token: string): Promise<string> => {
    const edit = await fake.waitForRequest(
      (r) => r.method === 'PATCH' && r.path.endsWith(`/${token}/messages/@original`),
    );
    return String((edit.body as { content?: string }).content);
  };

  const ask = (fake: FakeDiscord, channelId = fake.channelId) =>
    answer(
      fake,
      fake.sendInteraction({
        name: 'continue',
        channelId,
        options: [
          { name: 'prompt', type: 3, value: 'did you see the' },
          { name: 'temperature', type: 10, value: 0 },
          { name: 'words', type: 4, value: 8 },
        ],
      }).token,
    );

  const setContext = (fake: FakeDiscord, state: 'on' | 'off', permissions: bigint, channelId = fake.channelId) =>
    fake.sendInteraction({
      name: 'settings',
      channelId,
      options: [{ name: 'context', type: 1, options: [{ name: 'state', type: 3, value: state }] }],
      permissions,
    });
  const manager = MEMBER_PERMISSIONS | MANAGE_CHANNELS;

  test('on by a channel manager, the same greedy /continue reads the stored messages and answers otherwise; off reads nothing', async () => {
    const { fake, history, ref } = await start();
    await history.append(ref(fake.channelId), [...stored(LEAVERS, LEAVER), ...stored(STAYERS, STAYER)]);

    const bare = await ask(fake);
    expect(bare).toMatch(/^did you see the\b/);
    expect(reads).toEqual([]);

    const refused = setContext(fake, 'on', MEMBER_PERMISSIONS);
    const callback = await fake.waitForRequest(
      (r) => r.method === 'POST' && r.path.endsWith(`/${refused.token}/callback`),
    );
    expect(callback.body).toMatchObject({ type: 4, data: { content: renderReply('settings.forbidden') } });
    expect(await ask(fake)).toBe(bare);
    expect(reads).toEqual([]);

    expect(await answer(fake, setContext(fake, 'on', manager).token)).toBe(renderReply('settings.contextOn'));
    const primed = await ask(fake);
    expect(primed).toMatch(/^did you see the\b/);
    expect(primed).not.toBe(bare);
    expect(reads).toEqual([{ channel: ref(fake.channelId), context: [...LEAVERS, ...STAYERS] }]);
    // Another channel of the guild keeps its default.
    expect(await ask(fake, other)).toBe(bare);

    expect(await answer(fake, setContext(fake, 'off', manager).token)).toBe(renderReply('settings.contextOff'));
    expect(await ask(fake)).toBe(bare);
    expect(reads).toHaveLength(1);
  });

  test('after /forget me the user’s messages are no longer read: the answer is that of a channel without them', async () => {
    const { fake, history, ref } = await start();
    await history.append(ref(fake.channelId), [...stored(LEAVERS, LEAVER), ...stored(STAYERS, STAYER)]);
    await history.append(ref(other), stored(STAYERS, STAYER));
    for (const channelId of [fake.channelId, other])
      expect(await answer(fake, setContext(fake, 'on', manager, channelId).token)).toBe(
        renderReply('settings.contextOn'),
      );
    const withBoth = await ask(fake);
    const withoutLeaver = await ask(fake, other);
    expect(withBoth).not.toBe(withoutLeaver);

    const forget = fake.sendInteraction({
      name: 'forget',
      userId: LEAVER,
      options: [{ name: 'me', type: 1, options: [] }],
    });
    expect(await answer(fake, forget.token)).toBe(renderReply('forget.me', { removed: LEAVERS.length }));
    expect(await ask(fake)).toBe(withoutLeaver);
    expect(reads.at(-1)).toEqual({ channel: ref(fake.channelId), context: STAYERS });
  });
});
