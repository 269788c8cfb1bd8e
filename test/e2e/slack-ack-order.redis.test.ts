import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SlackChatAdapter } from '../../src/adapters/slack/slack-chat-adapter.js';
import type { Bot } from '../../src/main/start-bot.js';
import { GENERATE_QUEUE } from '../../src/queue/queue-names.js';
import { renderReply } from '../../src/replies/reply-catalogue.js';
import { OwnRedis } from '../helpers/own-redis.js';
import { startTestBot } from '../helpers/pipeline-harness.js';
import { makeModelStore, removeDir, testPrefix } from '../helpers/redis-test-env.js';
import { fakeSlackAdapter, fakeSlackConfig } from './fake-slack/fake-slack-clients.js';
import { FakeSlack } from './fake-slack/fake-slack.js';
import { postSlashCommand } from './fake-slack/slack-request.js';

/**
 * The acknowledgement comes after the request is queued, on a Redis of the test's own that it
 * freezes (SIGSTOP): a Redis that does not answer gets the "temporarily unavailable" answer in the
 * acknowledgement, within the command deadline, and the request is then never answered as well.
 */
const SIGNING_SECRET = 'ack-order-signing-secret';
const COMMAND_TIMEOUT_MS = 1_000;
const fake = new FakeSlack();
const prefix = testPrefix();
let own: OwnRedis;
let modelsDir: string;
let adapter: SlackChatAdapter;
let bot: Bot;
let urlRedis: Redis;
let redis: Redis;
let generateQueue: Queue;
let responses = 0;

async function slash(text: string) {
  responses += 1;
  const responseId = `o${responses}`;
  const started = performance.now();
  const result = await postSlashCommand(
    `http://127.0.0.1:${adapter.port}/slack/events`,
    {
      command: '/continue',
      text,
      user_id: 'UMEMBER',
      channel_id: 'CORDER',
      team_id: fake.teamId,
      response_url: fake.responseUrl(responseId),
    },
    { signingSecret: SIGNING_SECRET },
  );
  return { ...result, responseId, elapsedMs: performance.now() - started };
}

beforeAll(async () => {
  own = await OwnRedis.start();
  await fake.start();
  fake.users.set('UMEMBER', { is_admin: false });
  modelsDir = await makeModelStore();
  urlRedis = new Redis(own.url, { maxRetriesPerRequest: 1, commandTimeout: 500 });
  urlRedis.on('error', () => undefined);
  adapter = fakeSlackAdapter(fakeSlackConfig(fake, SIGNING_SECRET, prefix), urlRedis);
  bot = await startTestBot(own.url, prefix, modelsDir, [adapter], { COMMAND_TIMEOUT_MS });
  redis = new Redis(own.url, { maxRetriesPerRequest: 1 });
  redis.on('error', () => undefined);
  generateQueue = new Queue(GENERATE_QUEUE, { connection: redis, prefix });
});

afterAll(async () => {
  own?.resume();
  await bot?.close();
  urlRedis?.disconnect();
  await generateQueue?.close();
  redis?.disconnect();
  await own?.stop();
  await removeDir(modelsDir);
  await fake.stop();
});

describe('Slack acknowledges a /continue only once it is queued', () => {
  it('has the job in Redis when the HTTP 200 arrives, "Thinking…" being the acknowledgement', async () => {
    const { status, body } = await slash('first --words 1');
    const waiting = await generateQueue.getWaitingCount();
    expect([status, JSON.parse(body)]).toEqual([
      200,
      { response_type: 'ephemeral', text: renderReply('continue.queued') },
    ]);
    expect(waiting).toBe(1);
  });

  it('answers "temporarily unavailable" in the acknowledgement when Redis does not answer, and never later', async () => {
    own.pause();
    let result;
    try {
      result = await slash('frozen --words 1');
    } finally {
      own.resume();
    }
    expect(result.status).toBe(200);
    expect(JSON.parse(result.body)).toEqual({ response_type: 'ephemeral', text: renderReply('command.unavailable') });
    // Within Slack's 3 s (the deadline plus the machine's noise).
    expect(result.elapsedMs).toBeLessThan(3_000);
    // Whatever Redis does with the commands it finds on waking, the request is not queued (no event
    // says Redis has dealt with them all: a fixed wait, the one left in these tests)...
    await new Promise((r) => setTimeout(r, 1_500));
    const jobs = await generateQueue.getJobs(['wait', 'active', 'delayed', 'prioritized', 'completed', 'failed']);
    expect(jobs.map((job) => (job.data as { prompt: string }).prompt)).toEqual(['first']);
    // ...and nothing was posted to its response_url.
    expect(fake.responsePosts.filter((p) => p.id === result.responseId)).toEqual([]);
  });
});
