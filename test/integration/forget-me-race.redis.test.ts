import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ChannelRef } from '../../src/commands/channel-ref.js';
import { RedisHistoryStore } from '../../src/history/redis-history-store.js';
import type { StoredMessage } from '../../src/history/stored-message.js';
import { deleteKeys, TEST_REDIS_URL, testPrefix } from '../helpers/redis-test-env.js';

const OLD = 2_500;
// Of the OLD messages stored per channel, every third (i % 3 === 0) is mine.
const OLD_MINE = Math.ceil(OLD / 3);
const channels: ChannelRef[] = ['a', 'b', 'c'].map((channel) => ({ platform: 'slack', workspace: 'T1', channel }));

async function storedIn(store: RedisHistoryStore, channel: ChannelRef): Promise<StoredMessage[]> {
  const out: StoredMessage[] = [];
  for await (const m of store.read(channel)) out.push(m);
  return out;
}

describe('/forget me against concurrent appends', () => {
  let prefix: string;
  // Several connections, so appends and the forget really run side by side in Redis.
  const connections: Redis[] = [];
  beforeAll(() => {
    for (let i = 0; i < 4; i++) connections.push(new Redis(TEST_REDIS_URL));
  });
  afterAll(() => connections.forEach((c) => c.disconnect()));
  afterEach(async () => deleteKeys(TEST_REDIS_URL, prefix));

  it('leaves none of my messages and all of the others, however the appends interleave with the forget', async () => {
    prefix = testPrefix();
    const stores = connections.map((c) => new RedisHistoryStore(c, prefix, 100_000));
    // A large history already stored (more than one chunk per channel), mine among it.
    for (const channel of channels) {
      await stores[0]!.append(
        channel,
        Array.from({ length: OLD }, (_, i) => ({ text: `old ${i}`, author: i % 3 === 0 ? 'me' : `o${i % 5}` })),
      );
    }
    const othersStored = (OLD - OLD_MINE) * channels.length;
    let othersSent = othersStored;
    let forgetDone = false;
    let appendsAfterForget = 0;
    const appender = async (store: RedisHistoryStore, worker: number): Promise<void> => {
      // Each appender goes on until the forget is done and it appended a few batches after it.
      let mineAfterForget = 0;
      for (let round = 0; round < 60 || !forgetDone || mineAfterForget < 3; round++) {
        const channel = channels[(round + worker) % channels.length]!;
        const batch = Array.from({ length: 7 }, (_, i) => ({
          text: `w${worker} r${round} m${i}`,
          author: i % 2 === 0 ? 'me' : `other-${worker}`,
        }));
        othersSent += batch.filter((m) => m.author !== 'me').length;
        const afterForget = forgetDone;
        await store.append(channel, batch);
        if (afterForget) {
          appendsAfterForget++;
          mineAfterForget++;
        }
        if (round > 2_000) break;
      }
    };
    const appends = stores.slice(1).map((store, worker) => appender(store, worker));
    // Let the appends get going, then forget while they run.
    while (othersSent < othersStored + 30) await new Promise((r) => setImmediate(r));
    const removed = await stores[0]!.forgetUser('slack', 'T1', 'me');
    forgetDone = true;
    await Promise.all(appends);

    expect(removed).toBeGreaterThanOrEqual(OLD_MINE * channels.length);
    expect(appendsAfterForget).toBeGreaterThan(0);
    let others = 0;
    for (const channel of channels) {
      const stored = await storedIn(stores[0]!, channel);
      expect(stored.filter((m) => m.author === 'me')).toEqual([]);
      others += stored.length;
    }
    expect(others).toBe(othersSent);
  });

  it('keeps the cap and counts as it appends, and forgets in a list trimmed meanwhile', async () => {
    prefix = testPrefix();
    const store = new RedisHistoryStore(connections[0]!, prefix, 1_500);
    const channel = channels[0]!;
    const stored = await store.append(
      channel,
      Array.from({ length: 3_000 }, (_, i) => ({ text: `m ${i}`, author: i % 2 ? 'me' : 'you' })),
    );
    expect(stored).toBe(3_000);
    expect(await store.count(channel)).toBe(1_500);
    const trimming = (async () => {
      for (let i = 0; i < 50; i++) await store.append(channel, [{ text: `late ${i}`, author: 'you' }]);
    })();
    await new RedisHistoryStore(connections[1]!, prefix, 1_500).forgetUser('slack', 'T1', 'me');
    await trimming;
    const left = await storedIn(store, channel);
    expect(left.some((m) => m.author === 'me')).toBe(false);
    expect(left.at(-1)?.text).toBe('late 49');
    expect(await store.append(channel, [{ text: 'again', author: 'me' }])).toBe(0);
  });
});
