import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ChannelRef } from '../../src/commands/channel-ref.js';
import { importHistory } from '../../src/history/import-history.js';
import { historyFormatOf, readHistoryFile } from '../../src/history/read-history-file.js';
import { RedisHistoryStore } from '../../src/history/redis-history-store.js';
import type { StoredMessage } from '../../src/history/stored-message.js';
import { streamJsonArray } from '../../src/history/stream-json-array.js';
import { deleteKeys, TEST_REDIS_URL, testPrefix } from '../helpers/redis-test-env.js';

const FIXTURES = 'test/fixtures/history';
const channelA: ChannelRef = { platform: 'console', workspace: 'local', channel: 'a' };
const channelB: ChannelRef = { platform: 'console', workspace: 'local', channel: 'b' };

async function all(store: RedisHistoryStore, channel: ChannelRef, limit?: number): Promise<StoredMessage[]> {
  const out: StoredMessage[] = [];
  for await (const m of store.read(channel, limit)) out.push(m);
  return out;
}

describe('stored history and import', () => {
  let redis: Redis;
  let prefix: string;
  beforeAll(() => {
    redis = new Redis(TEST_REDIS_URL);
  });
  afterAll(() => redis.disconnect());
  afterEach(async () => deleteKeys(TEST_REDIS_URL, prefix));
  const store = (max = 1_000): RedisHistoryStore => {
    prefix = testPrefix();
    return new RedisHistoryStore(redis, prefix, max);
  };

  it('imports our JSONL, leaving out commands, link-only, empty and malformed lines', async () => {
    const s = store();
    const path = `${FIXTURES}/channel.jsonl`;
    const report = await importHistory(s, channelA, readHistoryFile(path, await historyFormatOf(path)));
    expect(report).toMatchObject({ stored: 2, skipped: { command: 1, 'link-only': 1 }, total: 2 });
    expect((await all(s, channelA)).map((m) => m.text)).toEqual([
      'the zorblax deploy went fine',
      'did you see the zorblax dashboard',
    ]);
    expect(await s.count(channelB)).toBe(0);
  });

  it('imports a DiscordChatExporter export, leaving out bots and system messages', async () => {
    const s = store();
    const path = `${FIXTURES}/discord-export.json`;
    expect(await historyFormatOf(path)).toBe('discord');
    const report = await importHistory(s, channelA, readHistoryFile(path, 'discord'));
    expect(report).toMatchObject({ read: 4, stored: 2, skipped: { bot: 1, system: 1 } });
    expect(await all(s, channelA)).toEqual([
      { text: 'hello "team" {not json}', author: '111', timestamp: '2024-01-01T10:00:00+00:00' },
      { text: 'the [build] is green', author: '112', timestamp: '2024-01-01T10:03:00+00:00' },
    ]);
  });

  it('imports a Slack export folder in time order, leaving out bots, joins and links, its escapes decoded', async () => {
    const s = store();
    const path = `${FIXTURES}/slack-export`;
    expect(await historyFormatOf(path)).toBe('slack');
    const report = await importHistory(s, channelA, readHistoryFile(path, 'slack'));
    expect(report).toMatchObject({ stored: 3, skipped: { bot: 1, system: 1, 'link-only': 1 } });
    expect((await all(s, channelA)).map((m) => [m.text, m.author])).toEqual([
      ['first day first message', 'U1'],
      ['later on the first day', 'U1'],
      ['second day message <3 &lt; & <@U1>', 'U2'],
    ]);
  });

  it('keeps only the newest messages beyond the cap, and reads the newest N', async () => {
    const s = store(3);
    await s.append(
      channelA,
      Array.from({ length: 5 }, (_, i) => ({ text: `m${i}` })),
    );
    expect((await all(s, channelA)).map((m) => m.text)).toEqual(['m2', 'm3', 'm4']);
    expect((await all(s, channelA, 2)).map((m) => m.text)).toEqual(['m3', 'm4']);
  });

  it('forgets a user in every channel of every workspace of the platform and never stores them again', async () => {
    const s = store();
    const other: ChannelRef = { platform: 'console', workspace: 'elsewhere', channel: 'a' };
    await s.append(channelA, [
      { text: 'mine', author: 'me' },
      { text: 'yours', author: 'you' },
    ]);
    await s.append(channelB, [{ text: 'mine too', author: 'me' }]);
    await s.append(other, [{ text: 'other workspace', author: 'me' }]);
    const otherPlatform: ChannelRef = { platform: 'slack', workspace: 'local', channel: 'a' };
    await s.append(otherPlatform, [{ text: 'another platform', author: 'me' }]);
    expect(await s.forgetUser('console', 'local', 'me')).toBe(3);
    expect((await all(s, channelA)).map((m) => m.text)).toEqual(['yours']);
    expect(await s.count(channelB)).toBe(0);
    expect(await s.count(other)).toBe(0);
    expect(await s.optedOut('console', 'elsewhere')).toContain('me');
    expect(await s.count(otherPlatform)).toBe(1);
    const report = await importHistory(s, channelA, readHistoryFile(`${FIXTURES}/channel.jsonl`, 'jsonl'));
    expect(report.skipped['opted-out']).toBeUndefined();
    await s.forgetUser('console', 'local', 'u2');
    const again = await importHistory(s, channelB, readHistoryFile(`${FIXTURES}/channel.jsonl`, 'jsonl'));
    expect(again.skipped['opted-out']).toBe(3);
  });

  it('forgets a channel without touching another', async () => {
    const s = store();
    await s.append(channelA, [{ text: 'a' }]);
    await s.append(channelB, [{ text: 'b' }]);
    await s.forgetChannel(channelA);
    expect(await s.count(channelA)).toBe(0);
    expect(await s.count(channelB)).toBe(1);
  });
});

describe('streamJsonArray', () => {
  it('yields each element across read chunks, with braces and quotes inside strings', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'lstm-bot-json-'));
    try {
      const messages = Array.from({ length: 3_000 }, (_, i) => ({
        id: String(i),
        content: `x{"]}\\ ${'y'.repeat(i % 50)}`,
      }));
      const path = join(dir, 'big.json');
      await writeFile(path, JSON.stringify({ other: [{ a: 1 }], messages, after: { messages: [] } }));
      const seen: unknown[] = [];
      for await (const item of streamJsonArray(path, 'messages')) seen.push(item);
      expect(seen).toEqual(messages);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('passes over elements that are not objects and yields what a document cut short has', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'lstm-bot-json-'));
    try {
      const path = join(dir, 'cut.json');
      await writeFile(path, '{"messages": [1, {"id": "a"}, "x", {"id": "b"}, {"id": "c"');
      const seen: unknown[] = [];
      for await (const item of streamJsonArray(path, 'messages')) seen.push(item);
      expect(seen).toEqual([{ id: 'a' }, { id: 'b' }]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
