import { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSlackHistoryReader } from '../../src/adapters/slack/create-slack-history-reader.js';
import type { SlackChatAdapter } from '../../src/adapters/slack/slack-chat-adapter.js';
import type { Bot } from '../../src/main/start-bot.js';
import { channelMessages } from '../helpers/channel-messages.js';
import { liveProbe } from '../helpers/live-probe.js';
import { startTestBot, type PipelineScope } from '../helpers/pipeline-harness.js';
import { deleteKeys, silentLogger, TEST_REDIS_URL, testPrefix } from '../helpers/redis-test-env.js';
import { startRetrainBackEnd, type RetrainHarness } from '../helpers/retrain-harness.js';
import { FakeSlack } from './fake-slack/fake-slack.js';
import { fakeSlackAdapter, fakeSlackConfig } from './fake-slack/fake-slack-clients.js';
import { messageEvent, postEvent, postSlashCommand } from './fake-slack/slack-request.js';

/**
 * `/retrain` in a Slack channel that learns live: the real trainer trains on the messages stored from
 * `message` events, never calls `conversations.history`, and keeps them, though it deletes collected
 * history after training.
 */
const SIGNING_SECRET = 'live-retrain-signing-secret';

describe('Slack /retrain where learning is on', () => {
  const fake = new FakeSlack();
  const scope: PipelineScope = { prefix: '', modelsDir: '', closers: [] };
  let adapter: SlackChatAdapter;
  let bot: Bot;
  let backEnd: RetrainHarness;
  let urlRedis: Redis;

  beforeEach(async () => {
    scope.prefix = testPrefix();
    await fake.start();
    fake.users.set('UADMIN', { is_admin: true });
    urlRedis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: 1 });
    const config = fakeSlackConfig(fake, SIGNING_SECRET, scope.prefix);
    adapter = fakeSlackAdapter(config, urlRedis);
    const slackHistory = createSlackHistoryReader(config, silentLogger, { retries: 0 })!;
    backEnd = await startRetrainBackEnd(
      TEST_REDIS_URL,
      scope.prefix,
      { slack: (options) => slackHistory(options) },
      { keepRawHistory: false },
    );
    bot = await startTestBot(TEST_REDIS_URL, scope.prefix, backEnd.modelsDir, [adapter]);
  });

  afterEach(async () => {
    for (const close of scope.closers.splice(0).reverse()) await close();
    await bot?.close();
    urlRedis.disconnect();
    await backEnd?.close();
    await deleteKeys(TEST_REDIS_URL, scope.prefix);
    await fake.stop();
  });

  const url = () => `http://127.0.0.1:${adapter.port}/slack/events`;
  const slash = (command: string, text: string, responseId: string) =>
    postSlashCommand(
      url(),
      {
        command,
        text,
        user_id: 'UADMIN',
        channel_id: 'CLIVE',
        team_id: fake.teamId,
        response_url: fake.responseUrl(responseId),
      },
      { signingSecret: SIGNING_SECRET },
    );

  it('trains on the live-stored messages without conversations.history, and keeps them', async () => {
    const { stored, waitForStored } = liveProbe(scope);
    expect((await slash('/lstm-settings', 'learning on', 'on')).status).toBe(200);
    await fake.waitFor(() => fake.responsePosts.find((p) => p.id === 'on'));
    for (const m of channelMessages('zorblax', 120, ['U1', 'U2'])) {
      const event = messageEvent({ team: fake.teamId, channel: 'CLIVE', user: m.author!, text: m.text });
      expect((await postEvent(url(), event.body, { signingSecret: SIGNING_SECRET })).status).toBe(200);
    }
    const last = messageEvent({
      team: fake.teamId,
      channel: 'CLIVE',
      user: 'U1',
      text: 'the last one before training',
    });
    await postEvent(url(), last.body, { signingSecret: SIGNING_SECRET });
    await waitForStored('slack', fake.teamId, 'CLIVE', 'the last one before training');
    expect(await stored('slack', fake.teamId, 'CLIVE')).toHaveLength(121);

    expect((await slash('/retrain', '200', 'retrain')).status).toBe(200);
    const summary = await fake.waitFor(() =>
      fake
        .callsOf('chat.update')
        .find((call) => call.args.channel === 'CLIVE' && /^Retrained|failed/.test(String(call.args.text))),
    );
    expect(String(summary.args.text)).toMatch(/^Retrained this channel's model on 121 messages/);
    expect(fake.callsOf('conversations.history')).toEqual([]);
    expect(await stored('slack', fake.teamId, 'CLIVE')).toHaveLength(121);
  });
});
