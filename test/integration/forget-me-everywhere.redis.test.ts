import { Queue, UnrecoverableError, Worker, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ChannelRef } from '../../src/commands/channel-ref.js';
import type { ReplyAddress } from '../../src/commands/reply-address.js';
import { forgetCommand } from '../../src/commands/forget-command.js';
import { RedisHistoryStore } from '../../src/history/redis-history-store.js';
import { RedisRecentReplies } from '../../src/history/recent-replies.js';
import type { GenerateJobData } from '../../src/queue/generate-job.js';
import { GenerateProducer } from '../../src/queue/generate-producer.js';
import { GENERATE_QUEUE, replyQueueName } from '../../src/queue/queue-names.js';
import { ReplyOutbox } from '../../src/queue/reply-outbox.js';
import type { UserError } from '../../src/replies/user-error.js';
import { RedisTrainingControl } from '../../src/training/redis-training-control.js';
import { deleteKeys, TEST_REDIS_URL, testPrefix } from '../helpers/redis-test-env.js';

const address = (channelId: string): ReplyAddress => ({
  platform: 'discord',
  applicationId: '1',
  interactionToken: `token-${channelId}`,
  channelId,
  expiresAt: Date.now() + 60_000,
});

describe('/forget me on real Redis', () => {
  let prefix: string;
  let redis: Redis;
  let history: RedisHistoryStore;
  let control: RedisTrainingControl;
  let producer: GenerateProducer;
  const closers: (() => Promise<void>)[] = [];

  beforeEach(() => {
    prefix = testPrefix();
    redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: 1 });
    history = new RedisHistoryStore(redis, prefix, 1_000);
    producer = new GenerateProducer(redis, prefix, { attempts: 1 });
    const outbox = new ReplyOutbox(redis, prefix);
    control = new RedisTrainingControl({
      redis,
      prefix,
      history,
      recentReplies: new RedisRecentReplies(redis, prefix, 10),
      modelsDir: '/nonexistent',
      keepVersions: 1,
      outbox,
    });
    closers.push(
      () => producer.close(),
      () => outbox.close(),
      () => control.close(),
    );
  });

  afterEach(async () => {
    for (const close of closers.splice(0).reverse()) await close();
    await deleteKeys(TEST_REDIS_URL, prefix);
    redis.disconnect();
  });

  /** A generation worker that answers every prompt but `fail…`, and a bot that posts the answers. */
  async function answerEverything(): Promise<void> {
    const outbox = new ReplyOutbox(redis, prefix);
    const connection = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
    const generate = new Worker(
      GENERATE_QUEUE,
      async (job: Job<GenerateJobData>) => {
        if (job.data.prompt.startsWith('fail')) throw new UnrecoverableError('no model');
        await outbox.post({
          v: 1,
          generateJobId: job.id!,
          address: job.data.replyTo,
          reply: { text: `${job.data.prompt} and then some`, visibility: 'public' },
          outcome: 'answer',
          requestedAt: job.data.requestedAt,
        });
      },
      { connection, prefix },
    );
    const replies = new Worker(replyQueueName(address('x')), async () => undefined, { connection, prefix });
    closers.push(async () => {
      await generate.close();
      await replies.close();
      await outbox.close();
      connection.disconnect();
    });
  }

  async function ask(channel: ChannelRef, userId: string, prompt: string): Promise<string> {
    return producer.enqueue({
      v: 1,
      channel,
      userId,
      prompt,
      options: { temperature: 1, maxWords: 5 },
      replyTo: address(channel.channel),
      requestedAt: Date.now(),
    });
  }

  it("blanks my prompts and answers in finished generate and reply jobs, and leaves everyone else's alone", async () => {
    const g1: ChannelRef = { platform: 'discord', workspace: 'G1', channel: 'c1' };
    const g2: ChannelRef = { platform: 'discord', workspace: 'G2', channel: 'c2' };
    await answerEverything();
    const mine = [await ask(g1, 'me', 'my secret plans'), await ask(g2, 'me', 'fail my other secret')];
    const theirs = await ask(g1, 'you', 'your own words');
    const generate = producer.queue;
    const replies = new Queue(replyQueueName(address('x')), { connection: redis, prefix });
    closers.push(() => replies.close());
    await vi.waitFor(async () => {
      expect(await generate.getJobState(mine[0]!)).toBe('completed');
      expect(await generate.getJobState(mine[1]!)).toBe('failed');
      expect(await replies.getJobState(`reply-${mine[0]}`)).toBe('completed');
      expect(await replies.getJobState(`reply-${theirs}`)).toBe('completed');
    });

    await forgetCommand(control)(
      { name: 'forget', scope: 'me' },
      {
        channel: g1,
        caller: { userId: 'me', canManageChannel: false, canManageWorkspace: false },
        replyTo: address('c1'),
      },
    );

    const dump = JSON.stringify(
      await Promise.all([...mine.map((id) => generate.getJob(id)), replies.getJob(`reply-${mine[0]}`)]).then((jobs) =>
        jobs.map((job) => job?.data),
      ),
    );
    expect(dump).not.toContain('secret');
    expect((await generate.getJob(theirs))?.data.prompt).toBe('your own words');
    expect((await replies.getJob(`reply-${theirs}`))?.data.reply.text).toBe('your own words and then some');
    // The jobs themselves stay (a duplicate of the request is still recognised).
    expect(await generate.getJobState(mine[0]!)).toBe('completed');
    expect(await replies.getJobState(`reply-${mine[0]}`)).toBe('completed');
  });

  it("/forget channel blanks the channel's prompts and answers in finished jobs, everyone's, and no other channel's", async () => {
    const c1: ChannelRef = { platform: 'discord', workspace: 'G1', channel: 'c1' };
    const c2: ChannelRef = { platform: 'discord', workspace: 'G1', channel: 'c2' };
    await answerEverything();
    const here = [await ask(c1, 'me', 'secret of mine'), await ask(c1, 'you', 'secret of yours')];
    const elsewhere = await ask(c2, 'me', 'words elsewhere');
    const generate = producer.queue;
    const replies = new Queue(replyQueueName(address('x')), { connection: redis, prefix });
    closers.push(() => replies.close());
    await vi.waitFor(async () => {
      for (const id of [...here, elsewhere]) expect(await replies.getJobState(`reply-${id}`)).toBe('completed');
    });

    await control.forgetChannel(c1);

    const jobs = await Promise.all(here.flatMap((id) => [generate.getJob(id), replies.getJob(`reply-${id}`)]));
    expect(JSON.stringify(jobs.map((job) => job?.data))).not.toContain('secret');
    expect((await generate.getJob(elsewhere))?.data.prompt).toBe('words elsewhere');
    expect((await replies.getJob(`reply-${elsewhere}`))?.data.reply.text).toBe('words elsewhere and then some');
  });

  it('removes my messages from every workspace of the platform and opts me out wherever they were', async () => {
    const here: ChannelRef = { platform: 'discord', workspace: 'G1', channel: 'c1' };
    const there: ChannelRef = { platform: 'discord', workspace: 'G2', channel: 'c9' };
    const slack: ChannelRef = { platform: 'slack', workspace: 'T1', channel: 'C1' };
    for (const channel of [here, there, slack]) {
      await history.append(channel, [
        { text: 'mine', author: 'me' },
        { text: 'theirs', author: 'you' },
      ]);
    }
    const removed = await control.forgetUser('discord', 'G1', 'me');
    expect(removed).toBe(2);
    for (const channel of [here, there]) {
      const left: string[] = [];
      for await (const m of history.read(channel)) left.push(m.text);
      expect(left).toEqual(['theirs']);
    }
    expect(await history.count(slack)).toBe(2);
    expect(await history.optedOut('discord', 'G2')).toContain('me');
    // Later messages of mine in the other server are not stored.
    expect(await history.append(there, [{ text: 'mine again', author: 'me' }])).toBe(0);
  });

  it('runs once a minute per user; a second ask is refused with a clear message', async () => {
    await control.forgetUser('discord', 'G1', 'me');
    const refusal = await control.forgetUser('discord', 'G2', 'me').then(
      () => undefined,
      (error: unknown) => error as UserError,
    );
    expect(refusal).toMatchObject({ key: 'forget.tooSoon' });
    expect(refusal?.render()).toMatch(/^You asked to be forgotten .* Try again in \d+ s/);
    await expect(control.forgetUser('discord', 'G1', 'someone-else')).resolves.toBe(0);
  });
});
