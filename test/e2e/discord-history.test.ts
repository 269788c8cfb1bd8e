import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { createDiscordHistoryReader } from '../../src/adapters/discord/create-discord-history-reader.js';
import { discordRest } from '../../src/adapters/discord/discord-rest.js';
import { readDiscordHistory } from '../../src/adapters/discord/read-discord-history.js';
import type { HistoryMessage } from '../../src/history/history-source.js';
import { discordTestConfig } from './fake-discord/discord-test-config.js';
import { FakeDiscord, type FakeChannel } from './fake-discord/fake-discord.js';
import { snowflake } from './fake-discord/snowflake.js';

async function collect(history: AsyncIterable<HistoryMessage>): Promise<HistoryMessage[]> {
  const messages: HistoryMessage[] = [];
  for await (const message of history) messages.push(message);
  return messages;
}

describe('reading a channel history through REST', () => {
  let fake: FakeDiscord;
  let channel: FakeChannel;
  /** Ids of the user messages, oldest first. */
  let userIds: string[];

  beforeEach(async () => {
    fake = await FakeDiscord.start();
    channel = fake.addChannel({});
    userIds = [];
    const start = Date.now() - 2_000_000;
    for (let i = 0; i < 1_100; i += 1) {
      const id = snowflake(start + i * 1_000);
      const kind = i % 11 === 5 ? 'bot' : i % 11 === 7 ? 'system' : 'user';
      channel.messages.push({
        id,
        channelId: channel.id,
        authorId: kind === 'bot' ? fake.botUserId : `1000${i % 3}`,
        bot: kind === 'bot',
        type: kind === 'system' ? 7 : i % 2 === 0 ? 0 : 19,
        content: `message ${i}`,
        timestampMs: start + i * 1_000,
      });
      if (kind === 'user') userIds.push(id);
    }
  });

  afterEach(async () => {
    await fake.close();
  });

  const pageRequests = () => fake.requestsMatching('GET', new RegExp(`^/channels/${channel.id}/messages$`));

  test('pages through 1,000 messages newest first, skipping bots and system messages, across a 429', async () => {
    expect(userIds).toHaveLength(900);
    channel.messages.push(
      ...Array.from({ length: 100 }, (_, i) => ({
        id: snowflake(),
        channelId: channel.id,
        authorId: '20000',
        content: `recent ${i}`,
      })),
    );
    const recent = channel.messages.slice(-100).map((m) => m.id);
    fake.rateLimitOnce('GET', new RegExp(`^/channels/${channel.id}/messages$`), 0.2, 4);

    const history = readDiscordHistory(discordRest(discordTestConfig(fake)), {
      channel: channel.id,
      maxMessages: 5_000,
    });
    const messages = await collect(history);

    expect(messages.map((m) => m.id)).toEqual([...userIds, ...recent].reverse());
    expect(messages[0]).toMatchObject({ authorId: '20000', text: 'recent 99' });
    expect(typeof messages[0]?.timestamp).toBe('number');
    expect(history.reachedStart).toBe(true);
    expect(history.scanned).toBe(1_200);
    // 12 full pages, the empty 13th, and one repeat of the rate-limited 5th page.
    const pages = pageRequests();
    expect(pages).toHaveLength(14);
    expect(pages[4]?.query.get('before')).toBe(pages[5]?.query.get('before'));
    for (const page of pages) expect(page.query.get('limit')).toBe('100');
  });

  test('stops at the cap and resumes from its cursor without repeating or losing a message', async () => {
    const rest = discordRest(discordTestConfig(fake));
    const first = readDiscordHistory(rest, { channel: channel.id, maxMessages: 250 });
    const firstMessages = await collect(first);
    expect(firstMessages).toHaveLength(250);
    expect(first.reachedStart).toBe(false);
    expect(first.cursor).toBe(firstMessages.at(-1)?.id);

    const second = readDiscordHistory(rest, { channel: channel.id, maxMessages: 10_000, before: first.cursor });
    const secondMessages = await collect(second);
    expect([...firstMessages, ...secondMessages].map((m) => m.id)).toEqual([...userIds].reverse());
  });

  test('a consumer that stops early can resume from the cursor', async () => {
    const rest = discordRest(discordTestConfig(fake));
    const history = readDiscordHistory(rest, { channel: channel.id, maxMessages: 10_000 });
    const seen: string[] = [];
    for await (const message of history) {
      seen.push(message.id);
      if (seen.length === 123) break;
    }
    const rest2 = await collect(
      readDiscordHistory(rest, { channel: channel.id, maxMessages: 10_000, before: history.cursor }),
    );
    expect([...seen, ...rest2.map((m) => m.id)]).toEqual([...userIds].reverse());
  });

  test('turns Missing Access into a coded error that names the permission', async () => {
    const hidden = fake.addChannel({ missingAccess: true });
    const history = readDiscordHistory(discordRest(discordTestConfig(fake)), { channel: hidden.id, maxMessages: 10 });
    await expect(collect(history)).rejects.toMatchObject({
      code: 'DISCORD_MISSING_ACCESS',
      message: expect.stringContaining('View Channel') as string,
    });
  });

  test('says the Message Content intent is missing when people’s messages come back without text', async () => {
    for (const message of channel.messages) message.content = '';
    const history = readDiscordHistory(discordRest(discordTestConfig(fake)), {
      channel: channel.id,
      maxMessages: 10,
    });
    await expect(collect(history)).rejects.toMatchObject({
      code: 'DISCORD_NO_MESSAGE_CONTENT',
      message: expect.stringContaining('Message Content intent') as string,
    });
    expect(pageRequests()).toHaveLength(1);
  });

  test('bounds the messages it looks at, so a channel of bots is not walked to its start', async () => {
    for (const message of channel.messages) message.bot = true;
    const history = readDiscordHistory(discordRest(discordTestConfig(fake)), {
      channel: channel.id,
      maxMessages: 20,
    });
    expect(await collect(history)).toEqual([]);
    expect(history.scanned).toBe(200);
    expect(history.reachedStart).toBe(false);
  });

  test('stops when its signal is aborted, as /retrain cancel does', async () => {
    const controller = new AbortController();
    const history = readDiscordHistory(discordRest(discordTestConfig(fake)), {
      channel: channel.id,
      signal: controller.signal,
    });
    const seen: HistoryMessage[] = [];
    const reading = (async () => {
      for await (const message of history) {
        seen.push(message);
        if (seen.length === 150) controller.abort(new Error('cancelled by the user'));
      }
    })();
    await expect(reading).rejects.toThrow('cancelled by the user');
    expect(seen.length).toBeLessThanOrEqual(200);
    expect(history.cursor).toBe(seen.at(-1)?.id);
  });

  test('a trainer gets a reader from the config alone, and none without a token', async () => {
    const read = createDiscordHistoryReader(discordTestConfig(fake));
    expect(await collect(read!({ channel: channel.id, maxMessages: 5 }))).toHaveLength(5);
    expect(createDiscordHistoryReader({ DISCORD_TOKEN: undefined, DISCORD_API_URL: fake.apiUrl })).toBeUndefined();
  });

  test('an unknown channel is its own coded error', async () => {
    const history = readDiscordHistory(discordRest(discordTestConfig(fake)), {
      channel: snowflake(),
      maxMessages: 10,
    });
    await expect(collect(history)).rejects.toMatchObject({ code: 'DISCORD_UNKNOWN_CHANNEL' });
  });
});
