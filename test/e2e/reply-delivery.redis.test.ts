import { Writable } from 'node:stream';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { discordRest } from '../../src/adapters/discord/discord-rest.js';
import { DiscordReplySender } from '../../src/adapters/discord/discord-reply-sender.js';
import { ResponseUrlUses } from '../../src/adapters/slack/response-url-uses.js';
import type { ReplyAddress, ReplySender } from '../../src/commands/reply-address.js';
import { createLogger } from '../../src/ops/logger.js';
import { replyQueueName } from '../../src/queue/queue-names.js';
import { ReplyDelivery } from '../../src/queue/reply-delivery.js';
import { ReplyOutbox } from '../../src/queue/reply-outbox.js';
import { deleteKeys, TEST_REDIS_URL, testPrefix } from '../helpers/redis-test-env.js';
import { discordTestConfig } from './fake-discord/discord-test-config.js';
import { FakeDiscord } from './fake-discord/fake-discord.js';
import { FakeSlack } from './fake-slack/fake-slack.js';
import { fakeSlackReplySender } from './fake-slack/fake-slack-clients.js';

/**
 * Reply delivery (`ReplyDelivery` on BullMQ and real Redis) with the real senders against the fake
 * platforms: how a failed post is retried, or not.
 */
const slack = new FakeSlack();
let discord: FakeDiscord;
let prefix: string;
let redis: Redis;
let outbox: ReplyOutbox;
let logLines: Record<string, unknown>[];
const closers: (() => Promise<void>)[] = [];

const logger = createLogger({
  level: 'info',
  destination: new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) logLines.push(JSON.parse(line));
      done();
    },
  }),
});

beforeAll(async () => {
  await slack.start();
  discord = await FakeDiscord.start();
});

afterAll(async () => {
  await slack.stop();
  await discord.close();
});

beforeEach(() => {
  prefix = testPrefix();
  redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: 1 });
  outbox = new ReplyOutbox(redis, prefix);
  logLines = [];
});

afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
  await outbox.close();
  redis.disconnect();
  await deleteKeys(TEST_REDIS_URL, prefix);
});

/** A bot process's reply delivery: its own connection, and for Slack its own sender and use counts. */
async function bot(platform: 'slack' | 'discord'): Promise<void> {
  const connection = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
  const sender: ReplySender =
    platform === 'slack'
      ? fakeSlackReplySender(slack, new ResponseUrlUses(connection, prefix), logger)
      : new DiscordReplySender(discordRest(discordTestConfig(discord)));
  const delivery = new ReplyDelivery({
    connection,
    prefix,
    routes: [{ queue: `replies-${platform}`, sender }],
    logger,
  });
  await delivery.waitUntilReady();
  closers.push(async () => {
    await delivery.close(true);
    connection.disconnect();
  });
}

function slackAddress(responseId: string, channelId: string, lifetimeMs = 30 * 60_000): ReplyAddress {
  return {
    platform: 'slack',
    responseUrl: slack.responseUrl(responseId, channelId),
    channelId,
    userId: 'UASKER',
    expiresAt: Date.now() + lifetimeMs,
  };
}

async function queueReply(id: string, address: ReplyAddress, text = `answer ${id}`): Promise<void> {
  await outbox.post({
    v: 1,
    generateJobId: id,
    address,
    reply: { text, visibility: 'public' },
    outcome: 'answer',
    requestedAt: Date.now(),
  });
}

async function finalState(address: ReplyAddress, id: string, timeoutMs = 8_000) {
  const queue = new Queue(replyQueueName(address), { connection: redis, prefix });
  try {
    let state = '';
    await vi.waitFor(
      async () => {
        state = await queue.getJobState(`reply-${id}`);
        expect(['completed', 'failed']).toContain(state);
      },
      { timeout: timeoutMs, interval: 50 },
    );
    return { state, job: await queue.getJob(`reply-${id}`) };
  } finally {
    await queue.close();
  }
}

describe('reply delivery', () => {
  it('waits the Retry-After Slack asks for before posting again after a 429', async () => {
    await bot('slack');
    slack.fault('chat.postMessage', { status: 429, headers: { 'retry-after': '2' }, body: { ok: false } });
    const address = slackAddress('ratelimited', 'CRATE', -1);
    await queueReply('ratelimited', address);
    expect((await finalState(address, 'ratelimited')).state).toBe('completed');
    const [first, second] = slack.callsOf('chat.postMessage').filter((c) => c.args.channel === 'CRATE');
    expect(second!.at - first!.at).toBeGreaterThanOrEqual(1_950);
    expect(slack.postedIn('CRATE').map((m) => m.text)).toEqual(['answer ratelimited']);
  });

  it.each([
    ['not_in_channel', 'SLACK_NOT_IN_CHANNEL'],
    ['channel_not_found', 'SLACK_CHANNEL_NOT_FOUND'],
    ['is_archived', 'SLACK_CHANNEL_ARCHIVED'],
  ])('fails at once when Slack refuses a post with %s, warning with the channel', async (error, code) => {
    await bot('slack');
    const channel = `C${error.replace(/_/g, '').toUpperCase()}`;
    slack.fault('chat.postMessage', { status: 200, body: { ok: false, error } });
    const address = slackAddress(`refused-${error}`, channel, -1);
    await queueReply(`refused-${error}`, address);
    const { state, job } = await finalState(address, `refused-${error}`, 3_000);
    expect(state).toBe('failed');
    expect(job?.attemptsMade).toBe(1);
    expect(slack.callsOf('chat.postMessage').filter((c) => c.args.channel === channel)).toHaveLength(1);
    expect(logLines).toContainEqual(expect.objectContaining({ level: 40, channel, code }));
  });

  it('marks a response_url Slack calls expired as dead for every bot process, which never post to it again', async () => {
    await bot('slack');
    slack.expiredResponseIds.add('dead');
    const first = slackAddress('dead', 'CDEAD');
    await queueReply('dead-1', first);
    expect((await finalState(first, 'dead-1')).state).toBe('completed');
    expect(countResponseHits('dead')).toBe(1);
    await closers.pop()!();

    // Another bot process, with its own sender and counts: the dead URL is known in Redis.
    await bot('slack');
    await queueReply('dead-2', first);
    expect((await finalState(first, 'dead-2')).state).toBe('completed');
    expect(countResponseHits('dead')).toBe(1);
    expect(slack.postedIn('CDEAD').map((m) => m.text)).toEqual(['answer dead-1', 'answer dead-2']);
  });

  it('fails at once, with its code, when Discord refuses the channel for good (50001 Missing Access)', async () => {
    await bot('discord');
    const channel = discord.addChannel({ missingAccess: true });
    const address: ReplyAddress = discord.expiredAddress(channel.id);
    await queueReply('no-access', address);
    const { state, job } = await finalState(address, 'no-access', 3_000);
    expect(state).toBe('failed');
    expect(job?.attemptsMade).toBe(1);
    expect(logLines).toContainEqual(
      expect.objectContaining({ level: 40, channel: channel.id, code: 'DISCORD_MISSING_ACCESS' }),
    );
  });
});

/** Requests the fake's `response_url` `id` received, answered or not. */
function countResponseHits(id: string): number {
  return slack.responseHits.get(id) ?? 0;
}
