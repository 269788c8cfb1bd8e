import { realpath } from 'node:fs/promises';
import { relative } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSlackHistoryReader } from '../../src/adapters/slack/create-slack-history-reader.js';
import type { SlackChatAdapter } from '../../src/adapters/slack/slack-chat-adapter.js';
import type { ChannelRef } from '../../src/commands/channel-ref.js';
import type { Bot } from '../../src/main/start-bot.js';
import { modelPaths } from '../../src/model/store/model-location.js';
import { ModelResolver } from '../../src/model/store/model-resolver.js';
import { channelMessages } from '../helpers/channel-messages.js';
import { startTestBot } from '../helpers/pipeline-harness.js';
import { deleteKeys, silentLogger, TEST_REDIS_URL, testPrefix } from '../helpers/redis-test-env.js';
import { startRetrainBackEnd, type RetrainHarness } from '../helpers/retrain-harness.js';
import { FakeSlack, type FakeSlackCall } from './fake-slack/fake-slack.js';
import { fakeSlackAdapter, fakeSlackConfig } from './fake-slack/fake-slack-clients.js';
import { postSlashCommand } from './fake-slack/slack-request.js';

/**
 * `/retrain` on Slack from start to end with real parts: the channel's history read from the fake's
 * `conversations.history` by a real trainer, the status message posted once and `chat.update`d in
 * place up to the summary, then `/continue` in that channel answered by the new model version (a
 * real LSTM worker) while another channel keeps the base model.
 */
const SIGNING_SECRET = 'retrain-test-signing-secret';
const fake = new FakeSlack();
const prefix = testPrefix();
let adapter: SlackChatAdapter;
let bot: Bot;
let backEnd: RetrainHarness;
let responses = 0;

/** Sends a slash command as UADMIN; resolves with its acknowledgement's answer, or else the first post to its response_url. */
async function slash(command: string, text: string, channel: string): Promise<Record<string, unknown>> {
  const { responseId, body } = await sendForBody(command, text, channel);
  if (body) return JSON.parse(body) as Record<string, unknown>;
  return fake.waitFor(() => fake.responsePosts.find((p) => p.id === responseId)?.body);
}

async function send(command: string, text: string, channel: string): Promise<string> {
  return (await sendForBody(command, text, channel)).responseId;
}

async function sendForBody(command: string, text: string, channel: string) {
  responses += 1;
  const responseId = `r${responses}`;
  const result = await postSlashCommand(
    `http://127.0.0.1:${adapter.port}/slack/events`,
    {
      command,
      text,
      user_id: 'UADMIN',
      channel_id: channel,
      team_id: fake.teamId,
      response_url: fake.responseUrl(responseId),
    },
    { signingSecret: SIGNING_SECRET },
  );
  expect(result.status).toBe(200);
  return { responseId, body: result.body };
}

const urlRedis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: 1 });

beforeAll(async () => {
  await fake.start();
  fake.users.set('UADMIN', { is_admin: true });
  const start = 1_700_000_000;
  // Newest first, as Slack answers.
  const history = channelMessages('zorblax', 200, ['U1', 'U2']).map((m, i) => ({
    ts: `${start + i}.000100`,
    user: m.author,
    text: m.text,
  }));
  fake.history.set('CRETRAIN', history.reverse());
  const config = fakeSlackConfig(fake, SIGNING_SECRET, prefix);
  adapter = fakeSlackAdapter(config, urlRedis);
  const slackHistory = createSlackHistoryReader(config, silentLogger, { retries: 0 })!;
  backEnd = await startRetrainBackEnd(TEST_REDIS_URL, prefix, { slack: (options) => slackHistory(options) });
  bot = await startTestBot(TEST_REDIS_URL, prefix, backEnd.modelsDir, [adapter]);
});

afterAll(async () => {
  await bot?.close();
  urlRedis.disconnect();
  await backEnd?.close();
  await deleteKeys(TEST_REDIS_URL, prefix);
  await fake.stop();
});

describe('Slack /retrain: one status message updated in place, then the new model answers', () => {
  it('reads the history, edits one message up to the summary, and serves the channel its new version only', async () => {
    const retrain = await send('/retrain', '200', 'CRETRAIN');

    const inChannel = (method: string) => fake.callsOf(method).filter((call) => call.args.channel === 'CRETRAIN');
    const summary = await fake.waitFor(() =>
      inChannel('chat.update').find((call) => String(call.args.text).startsWith('Retrained')),
    );
    // The acknowledgement is the status message's first state, not a second, private message.
    expect(fake.responsePosts.filter((p) => p.id === retrain)).toEqual([]);
    const posts = inChannel('chat.postMessage');
    // One message: posted once with the first state, every later state (and the summary) an update of it.
    expect(posts).toHaveLength(1);
    // The acknowledgement, unless a later state overtook it (then it is not shown at all): the trainer's
    // first, or on a busy machine the queue's "waiting, position 1".
    expect(String(posts[0]?.args.text)).toMatch(
      /^Retraining(: reading|: waiting for other trainings| on up to 200 stored messages of this channel: queued \(position 1\))/,
    );
    const ts = String(summary.args.ts);
    const updates = inChannel('chat.update');
    expect(new Set(updates.map((call: FakeSlackCall) => call.args.ts))).toEqual(new Set([ts]));
    expect(
      updates.some((call) =>
        /^Retraining: epoch \d+\/2, batch \d+\/\d+, loss \d+\.\d\d [▁-█]+/.test(String(call.args.text)),
      ),
    ).toBe(true);
    // States arrive in order: the acknowledgement never replaces a newer state.
    expect(updates.filter((call) => String(call.args.text).includes(': queued ('))).toEqual([]);
    expect(updates.at(-1)).toBe(summary);
    expect(fake.messages.get(ts)?.text).toBe(summary.args.text);
    expect(String(summary.args.text)).toMatch(
      /^Retrained this channel's model on 200 messages in \d+ s: learned \d+ new words \(.*zorblax.*\); perplexity on the newest messages \d+\.\d -&gt; \d+\.\d \(\d+\.\d mixed with the channel's word-sequence counts, as it replies\)\./,
    );

    const channel: ChannelRef = { platform: 'slack', workspace: fake.teamId, channel: 'CRETRAIN' };
    const resolved = await new ModelResolver(modelPaths({ MODELS_DIR: backEnd.modelsDir }), 0).resolve(channel);
    expect(resolved?.scope).toBe('channel');
    const status = await slash('/lstm-status', '', 'CRETRAIN');
    expect(String(status.text)).toContain(`Model: this channel's own model, version ${resolved?.version}`);
    const other = await slash('/lstm-status', '', 'COTHER');
    expect(String(other.text)).toMatch(/^Model: the base model, version /);

    const answered = async (channelId: string) => {
      const post = await slash('/continue', 'the dog --words 4', channelId);
      if (post.response_type === 'in_channel') return post;
      // The private "Thinking…" was the acknowledgement; the answer follows on the response_url.
      const id = `r${responses}`;
      return fake.waitFor(
        () => fake.responsePosts.find((p) => p.id === id && p.body.response_type === 'in_channel')?.body,
      );
    };
    expect(String((await answered('CRETRAIN')).text)).toMatch(/^the dog\b/);
    const newVersion = relative(await realpath(backEnd.modelsDir), resolved!.dir);
    expect(newVersion).toMatch(/^channels\/slack\/.*\/versions\//);
    expect(backEnd.loaded).toEqual([newVersion]);
    expect(String((await answered('COTHER')).text)).toMatch(/^the dog\b/);
    expect(backEnd.loaded).toEqual([newVersion, 'base']);
  });
});
