import { PassThrough } from 'node:stream';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { SlackChatAdapter } from '../../src/adapters/slack/slack-chat-adapter.js';
import { startBot, type Bot } from '../../src/main/start-bot.js';
import { createLogger } from '../../src/ops/logger.js';
import { GENERATE_QUEUE } from '../../src/queue/queue-names.js';
import { renderReply } from '../../src/replies/reply-catalogue.js';
import type { GenerationWorker } from '../../src/generation/generation-worker.js';
import { botConfig, startTestWorker } from '../helpers/pipeline-harness.js';
import { queueCounts } from '../helpers/queue-counts.js';
import { deleteKeys, makeModelStore, removeDir, TEST_REDIS_URL, testPrefix } from '../helpers/redis-test-env.js';
import { fakeSlackAdapter, fakeSlackConfig } from './fake-slack/fake-slack-clients.js';
import { FakeSlack } from './fake-slack/fake-slack.js';
import { postSigned, slackSignature, slashCommandForm, type SlashCommandFields } from './fake-slack/slack-request.js';

/**
 * What reaches the bot from the Slack side when a request is not what Slack sends: forged dates,
 * replays, malformed forms and oversized bodies, through the real Bolt app, the real command handlers,
 * Redis and a worker. Nothing of it may be enqueued; the caller reads a clear private answer where
 * Slack shows one.
 */
const SIGNING_SECRET = 'hygiene-test-signing-secret';
const fake = new FakeSlack();
const prefix = testPrefix();
const logLines: { level: number; msg: string; fields?: string[] }[] = [];
let modelsDir: string;
let adapter: SlackChatAdapter;
let bot: Bot;
let worker: GenerationWorker;
let redis: Redis;
let requests = 0;

function capturingLogger() {
  const destination = new PassThrough();
  destination.on('data', (chunk: Buffer) => {
    for (const line of chunk.toString().split('\n').filter(Boolean)) logLines.push(JSON.parse(line));
  });
  return createLogger({ level: 'warn', format: 'json', destination });
}

function url(): string {
  return `http://127.0.0.1:${adapter.port}/slack/events`;
}

/** A fresh /continue form (its own response_url), with `change` applied to its fields. */
function form(change: (fields: URLSearchParams) => void = () => undefined) {
  requests += 1;
  const responseId = `h${requests}`;
  const fields: SlashCommandFields = {
    command: '/continue',
    text: 'the weather today --words 2',
    user_id: 'UMEMBER',
    channel_id: 'CHYGIENE',
    team_id: fake.teamId,
    response_url: fake.responseUrl(responseId),
  };
  const params = slashCommandForm(fields);
  change(params);
  return { body: params.toString(), responseId };
}

async function jobsAccepted(): Promise<number> {
  const counts = await queueCounts(TEST_REDIS_URL, prefix, GENERATE_QUEUE);
  return Object.values(counts).reduce((sum, n) => sum + n, 0);
}

function postsTo(responseId: string) {
  return fake.responsePosts.filter((post) => post.id === responseId).map((post) => post.body);
}

beforeAll(async () => {
  await fake.start();
  fake.users.set('UMEMBER', { is_admin: false });
  modelsDir = await makeModelStore();
  const logger = capturingLogger();
  redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: 1 });
  adapter = fakeSlackAdapter(fakeSlackConfig(fake, SIGNING_SECRET, prefix), redis, { logger });
  bot = await startBot({ config: botConfig(prefix, modelsDir), redisUrl: TEST_REDIS_URL, adapters: [adapter], logger });
  worker = await startTestWorker(TEST_REDIS_URL, prefix, modelsDir);
});

afterAll(async () => {
  await worker?.close(5_000);
  await bot?.close();
  redis?.disconnect();
  await deleteKeys(TEST_REDIS_URL, prefix);
  await removeDir(modelsDir);
  await fake.stop();
});

describe('Slack requests that are not what Slack sends', () => {
  it('refuses a correctly signed request dated 6 minutes in the future with 401 and enqueues nothing', async () => {
    const before = await jobsAccepted();
    const { body, responseId } = form();
    const future = await postSigned(url(), body, {
      signingSecret: SIGNING_SECRET,
      timestampSec: Math.floor(Date.now() / 1000) + 6 * 60,
    });
    expect(future.status).toBe(401);
    // A request dated 4 minutes ahead (clock drift) is still taken.
    const { body: drifted, responseId: driftedId } = form();
    const taken = await postSigned(url(), drifted, {
      signingSecret: SIGNING_SECRET,
      timestampSec: Math.floor(Date.now() / 1000) + 4 * 60,
    });
    expect([taken.status, JSON.parse(taken.body).text]).toEqual([200, renderReply('continue.queued')]);
    await fake.waitFor(() => (postsTo(driftedId).length >= 1 ? true : undefined));
    expect(await jobsAccepted()).toBe(before + 1);
    expect(postsTo(responseId)).toEqual([]);
  });

  it('takes a signed request once: three copies at once and one more after its answer give one job and one answer', async () => {
    const before = await jobsAccepted();
    const replayedBefore = logLines.filter((l) => l.msg.includes('replayed')).length;
    const { body, responseId } = form();
    const signing = { signingSecret: SIGNING_SECRET, timestampSec: Math.floor(Date.now() / 1000) };
    const first = await Promise.all([1, 2, 3].map(() => postSigned(url(), body, signing)));
    expect(first.map((r) => r.status)).toEqual([200, 200, 200]);
    // Only the copy that was queued says "Thinking…" (in its acknowledgement); the replays say nothing.
    expect(first.map((r) => r.body).sort()).toEqual([
      '',
      '',
      JSON.stringify({ response_type: 'ephemeral', text: renderReply('continue.queued') }),
    ]);
    await fake.waitFor(() => (postsTo(responseId).length >= 1 ? true : undefined));
    const again = await postSigned(url(), body, signing);
    expect(again.status).toBe(200);
    await vi.waitFor(() => expect(logLines.filter((l) => l.msg.includes('replayed')).length).toBe(replayedBefore + 3), {
      timeout: 10_000,
      interval: 50,
    });
    expect(await jobsAccepted()).toBe(before + 1);
    const posts = postsTo(responseId);
    expect(posts.map((p) => p.response_type)).toEqual(['in_channel']);
    // Remembered for longer than Slack accepts the signed timestamp (10 minutes), not just 60 s.
    const keys = await redis.keys(`${prefix}:seen-request:*`);
    expect(keys.length).toBeGreaterThanOrEqual(1);
    for (const key of keys) expect(await redis.pttl(key)).toBeGreaterThan(9 * 60_000);
  });

  it('answers a form without `text`, or with `text` twice, privately at once and hands nothing over', async () => {
    const before = await jobsAccepted();
    const missing = form((f) => f.delete('text'));
    const twice = form((f) => f.append('text', 'a second text'));
    for (const { body, responseId } of [missing, twice]) {
      const result = await postSigned(url(), body, { signingSecret: SIGNING_SECRET });
      expect(result.status).toBe(200);
      expect(JSON.parse(result.body)).toEqual({ response_type: 'ephemeral', text: renderReply('command.malformed') });
      expect(postsTo(responseId)).toEqual([]);
    }
    expect(await jobsAccepted()).toBe(before);
  });

  it('answers a form without user_id, channel_id, team_id or response_url (or with a bad id) privately, logged at warn', async () => {
    const before = await jobsAccepted();
    const errorsBefore = logLines.filter((l) => l.level >= 50).length;
    const cases = [
      ...['user_id', 'channel_id', 'team_id', 'response_url'].map((field) => ({
        field,
        change: (f: URLSearchParams) => f.delete(field),
      })),
      { field: 'channel_id', change: (f: URLSearchParams) => f.set('channel_id', 'a/b') },
      { field: 'team_id', change: (f: URLSearchParams) => f.set('team_id', `${fake.teamId}/a`) },
    ];
    for (const { field, change } of cases) {
      const { body } = form(change);
      const result = await postSigned(url(), body, { signingSecret: SIGNING_SECRET });
      expect(result.status).toBe(200);
      expect(JSON.parse(result.body)).toEqual({ response_type: 'ephemeral', text: renderReply('command.malformed') });
      const line = logLines.findLast((l) => l.msg === 'malformed slash command payload refused');
      expect(line).toMatchObject({ level: 40, fields: [field] });
    }
    expect(await jobsAccepted()).toBe(before);
    expect(logLines.filter((l) => l.level >= 50).slice(errorsBefore)).toEqual([]);
  });

  it('refuses a 3.8 MB signed body with 413, declared or streamed, before parsing it', async () => {
    const before = await jobsAccepted();
    const { body } = form((f) => f.set('text', 'x'.repeat(3_800_000)));
    const declared = await postSigned(url(), body, { signingSecret: SIGNING_SECRET });
    expect(declared.status).toBe(413);
    // Without a Content-Length (chunked), reading stops at the limit.
    const timestampSec = Math.floor(Date.now() / 1000);
    const streamed = await fetch(url(), {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-slack-request-timestamp': String(timestampSec),
        'x-slack-signature': slackSignature(SIGNING_SECRET, timestampSec, body),
      },
      body: new Blob([body]).stream(),
      duplex: 'half',
    } as RequestInit);
    expect(streamed.status).toBe(413);
    expect(await jobsAccepted()).toBe(before);
  });

  it('answers 400 at once to a signed body that is no slash command', async () => {
    const result = await postSigned(url(), 'payload=%7B%22type%22%3A%22block_actions%22%7D', {
      signingSecret: SIGNING_SECRET,
    });
    expect(result.status).toBe(400);
  });
});
