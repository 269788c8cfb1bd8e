import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GENERATE_QUEUE } from '../../src/queue/queue-names.js';
import { renderReply } from '../../src/replies/reply-catalogue.js';
import { deleteKeys, makeModelStore, removeDir, TEST_REDIS_URL, testPrefix } from '../helpers/redis-test-env.js';
import { startSlackPipeline, type SlackPipeline } from './fake-slack/fake-slack-clients.js';
import { FakeSlack } from './fake-slack/fake-slack.js';
import { postSlashCommand } from './fake-slack/slack-request.js';

/**
 * The whole path on real parts: a signed POST to the real Bolt app, the real command handlers, the
 * `generate` queue on Redis, a real generation worker (with the test generator that answers
 * `<prompt> basew0 basew1 …`), the reply outbox and delivery, and the answer at Slack (the fake).
 */
const SIGNING_SECRET = 'pipeline-test-signing-secret';
const fake = new FakeSlack();
const prefix = testPrefix();
let modelsDir: string;
let pipeline: SlackPipeline;
let redis: Redis;
let generateQueue: Queue;
/** Added to the age of incoming commands: 31 minutes makes their response_url expired on arrival. */
let commandAgeMs = 0;
let responses = 0;

async function slash(command: string, text: string, user: string, signing = {}) {
  responses += 1;
  const responseId = `p${responses}`;
  const result = await postSlashCommand(
    `http://127.0.0.1:${pipeline.adapter.port}/slack/events`,
    {
      command,
      text,
      user_id: user,
      channel_id: 'CPIPE',
      team_id: fake.teamId,
      response_url: fake.responseUrl(responseId),
    },
    { signingSecret: SIGNING_SECRET, ...signing },
  );
  // The immediate private answer is the acknowledgement's body; later ones go to the response_url.
  const acked: Record<string, unknown>[] = result.body ? [JSON.parse(result.body) as Record<string, unknown>] : [];
  const posts = (count: number) =>
    fake.waitFor(() => {
      const found = [...acked, ...fake.responsePosts.filter((p) => p.id === responseId).map((p) => p.body)];
      return found.length >= count ? found : undefined;
    });
  return { ...result, responseId, posts };
}

async function jobsAccepted(): Promise<number> {
  const counts = await generateQueue.getJobCounts('wait', 'active', 'delayed', 'prioritized', 'completed', 'failed');
  return Object.values(counts).reduce((sum, n) => sum + n, 0);
}

beforeAll(async () => {
  await fake.start();
  fake.users.set('UMEMBER', { is_admin: false });
  fake.users.set('UADMIN', { is_admin: true });
  modelsDir = await makeModelStore();
  pipeline = await startSlackPipeline(
    fake,
    { signingSecret: SIGNING_SECRET, prefix, modelsDir },
    { now: () => Date.now() - commandAgeMs },
  );
  redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: 1 });
  generateQueue = new Queue(GENERATE_QUEUE, { connection: redis, prefix });
});

afterAll(async () => {
  await pipeline?.close();
  await generateQueue?.close();
  redis?.disconnect();
  await deleteKeys(TEST_REDIS_URL, prefix);
  await removeDir(modelsDir);
  await fake.stop();
});

describe('Slack through the real pipeline: Bolt, command handlers, Redis, a worker', () => {
  it('answers a signed /continue in the channel through its response_url, after a private "Thinking…"', async () => {
    const { status, body, posts } = await slash('/continue', 'the weather today --words 3', 'UMEMBER');
    expect(status).toBe(200);
    expect(JSON.parse(body)).toEqual({ response_type: 'ephemeral', text: renderReply('continue.queued') });
    const replies = await posts(2); // "Thinking…" (the acknowledgement) and the answer
    const thinking = replies.find((r) => r.response_type === 'ephemeral');
    const answer = replies.find((r) => r.response_type === 'in_channel');
    expect(thinking).toMatchObject({ response_type: 'ephemeral', text: renderReply('continue.queued') });
    expect(answer).toMatchObject({
      response_type: 'in_channel',
      replace_original: false,
      text: 'the weather today basew0 basew1 basew2',
    });
  });

  it('has the job in Redis by the time Slack gets the acknowledgement (a bot killed after it loses nothing)', async () => {
    const before = await jobsAccepted();
    const { status, body, posts } = await slash('/continue', 'durable first --words 1', 'UMEMBER');
    const atAck = await jobsAccepted();
    expect([status, JSON.parse(body).text]).toEqual([200, renderReply('continue.queued')]);
    expect(atAck).toBe(before + 1);
    await posts(2);
  });

  it('enqueues nothing for a wrong or stale signature (401)', async () => {
    const before = await jobsAccepted();
    const wrong = await slash('/continue', 'forged', 'UMEMBER', { signature: `v0=${'f'.repeat(64)}` });
    const stale = await slash('/continue', 'replayed', 'UMEMBER', {
      timestampSec: Math.floor(Date.now() / 1000) - 301,
    });
    expect([wrong.status, stale.status]).toEqual([401, 401]);
    // A good request after them is the only one that reaches the queue.
    const { posts } = await slash('/continue', 'genuine --words 1', 'UMEMBER');
    await posts(2);
    expect(await jobsAccepted()).toBe(before + 1);
    expect(fake.responsePosts.filter((p) => p.id === wrong.responseId || p.id === stale.responseId)).toEqual([]);
  });

  it('neutralises mentions from the prompt in the posted continuation', async () => {
    const { posts } = await slash(
      '/continue',
      'hey <@U0BOSS|boss> <!channel> &amp; <!subteam^S1|@devs> --words 1',
      'UMEMBER',
    );
    const answer = (await posts(2)).find((r) => r.response_type === 'in_channel');
    const text = String(answer?.text);
    expect(text).toBe('hey @boss @\u2060channel &amp; @devs basew0');
    expect(text).not.toMatch(/<[@!#]/);
  });

  it('refuses a temperature change by a non-admin (users.info: not admin), only to them', async () => {
    const { posts } = await slash('/temperature', '1.5', 'UMEMBER');
    const [refusal] = await posts(1);
    expect(refusal).toMatchObject({ response_type: 'ephemeral', text: renderReply('temperature.forbidden') });
    const { posts: shown } = await slash('/temperature', '', 'UMEMBER');
    expect((await shown(1))[0]).toMatchObject({
      text: renderReply('temperature.show', { value: 0.8, isDefault: true }),
    });
  });

  it('lets a workspace admin change it, announced in the channel', async () => {
    const { posts } = await slash('/temperature', '1.5', 'UADMIN');
    expect((await posts(1))[0]).toMatchObject({
      response_type: 'in_channel',
      text: renderReply('temperature.set', { value: 1.5 }),
    });
  });

  it('sends a late answer with chat.postMessage when the response_url has expired', async () => {
    commandAgeMs = 31 * 60_000;
    try {
      const before = fake.callsOf('chat.postMessage').length;
      const { body, responseId } = await slash('/continue', 'late again --words 2', 'UMEMBER');
      // "Thinking…" needs no response_url: it is the acknowledgement's body.
      expect(JSON.parse(body)).toMatchObject({ text: renderReply('continue.queued') });
      const posted = await fake.waitFor(() => fake.callsOf('chat.postMessage')[before]);
      expect(posted.args).toMatchObject({ channel: 'CPIPE', text: 'late again basew0 basew1', parse: 'none' });
      expect(posted.token).toBe(fake.botToken);
      expect(fake.responsePosts.filter((p) => p.id === responseId)).toEqual([]);
    } finally {
      commandAgeMs = 0;
    }
  });
});
