import { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { OutboundReply, ReplyAddress, ReplySender, SentReply } from '../../src/commands/reply-address.js';
import { ReplyDelivery } from '../../src/queue/reply-delivery.js';
import type { ReplyJobData } from '../../src/queue/reply-job.js';
import { ReplyOutbox } from '../../src/queue/reply-outbox.js';
import { deleteKeys, silentLogger, TEST_REDIS_URL, testPrefix } from '../helpers/redis-test-env.js';

const address: ReplyAddress = { platform: 'console', sessionId: 's1', channelId: 'general' };

/** A platform that shows each status message once and edits it; a slow post makes races likely. */
class EditingSender implements ReplySender {
  readonly messages: string[] = [];
  readonly seen: OutboundReply[] = [];

  async send(_address: ReplyAddress, reply: OutboundReply): Promise<SentReply> {
    this.seen.push(reply);
    await new Promise((resolve) => setTimeout(resolve, 20));
    const index = reply.status?.messageRef === undefined ? -1 : Number(reply.status.messageRef);
    if (index >= 0) {
      this.messages[index] = reply.text;
      return { messageRef: String(index) };
    }
    this.messages.push(reply.text);
    return { messageRef: String(this.messages.length - 1) };
  }
}

const state = (seq: number, key = 'train-r1'): ReplyJobData => ({
  v: 1,
  generateJobId: `${key}-${seq}`,
  address,
  reply: { text: `state ${seq}`, visibility: 'public' },
  outcome: 'answer',
  requestedAt: Date.now(),
  status: { key, seq, stage: seq === 9 ? 'done' : 'training' },
});

describe('status messages through the reply queue', () => {
  let prefix: string;
  let redis: Redis;
  const closers: (() => Promise<void>)[] = [];

  beforeEach(() => {
    prefix = testPrefix();
    redis = new Redis(TEST_REDIS_URL);
  });
  afterEach(async () => {
    for (const close of closers.splice(0).reverse()) await close();
    await deleteKeys(TEST_REDIS_URL, prefix);
    redis.disconnect();
  });

  const deliveryOn = async (sender: ReplySender, posted: ReplyJobData[]) => {
    const connection = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
    const delivery = new ReplyDelivery({
      connection,
      prefix,
      routes: [{ queue: 'replies-console-s1', sender }],
      logger: silentLogger,
      onPosted: (reply) => posted.push(reply),
    });
    await delivery.waitUntilReady();
    closers.push(async () => {
      await delivery.close();
      connection.disconnect();
    });
  };

  it('shows each state in one message, in order, across two bot processes, dropping states older than the one shown', async () => {
    const sender = new EditingSender();
    const posted: ReplyJobData[] = [];
    // Two bot processes deliver from the same queue and share only Redis.
    await deliveryOn(sender, posted);
    await deliveryOn(sender, posted);
    const outbox = new ReplyOutbox(redis, prefix);
    closers.push(() => outbox.close());
    // Posted at once and out of order, as trainers and position watchers may.
    await Promise.all([3, 1, 5, 2, 4, 9, 7, 8, 6].map((seq) => outbox.post(state(seq))));
    await outbox.post(state(1, 'train-r2'));

    await vi.waitFor(() => expect(sender.messages, 'state 9 shown within 10 s').toContain('state 9'), {
      timeout: 10_000,
      interval: 50,
    });
    expect(sender.messages).toHaveLength(2);
    expect(sender.messages).toContain('state 9');
    expect(sender.messages).toContain('state 1');
    const r1 = sender.seen.filter((reply) => reply.status?.key === 'train-r1').map((r) => Number(r.text.slice(6)));
    // Each state handed to the platform is newer than the one before it; the first creates the message.
    expect(r1).toEqual([...r1].sort((x, y) => x - y));
    expect(new Set(r1).size).toBe(r1.length);
    expect(r1.at(-1)).toBe(9);
    const first = sender.seen.find((reply) => reply.status?.key === 'train-r1');
    expect(first?.status?.messageRef).toBeUndefined();
    expect(
      sender.seen
        .filter((reply) => reply.status?.key === 'train-r1')
        .slice(1)
        .map((r) => r.status?.messageRef),
    ).toEqual(r1.slice(1).map(() => sender.messages.indexOf('state 9').toString()));
  });
});
