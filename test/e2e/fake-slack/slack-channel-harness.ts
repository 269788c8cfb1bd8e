import { beforeEach, expect } from 'vitest';
import type { SlackChatAdapter } from '../../../src/adapters/slack/slack-chat-adapter.js';
import type { BotConfig } from '../../../src/main/start-bot.js';
import { usePipelineScope, type TestWorkerOptions } from '../../helpers/pipeline-harness.js';
import { startSlackWithUsers } from './fake-slack-clients.js';
import type { FakeSlack, FakeSlackCall } from './fake-slack.js';
import { postSlashCommand } from './slack-request.js';

/**
 * A test file's Slack pipeline, started anew before each test (`startSlackWithUsers`: a fake Slack
 * with `UADMIN` and `UMEMBER`, the real adapter, a bot and a worker), with what its tests post to it
 * and read back from the fake. `worker` gives the worker's generator and context reader, from the
 * test's key prefix.
 */
export function useSlackChannelPipeline(
  signingSecret: string,
  botConfig: Partial<BotConfig> = {},
  extras: {
    worker?: (prefix: string) => Pick<TestWorkerOptions, 'loadGenerator' | 'recentContext'>;
    random?: () => number;
  } = {},
) {
  const scope = usePipelineScope();
  let started: { fake: FakeSlack; adapter: SlackChatAdapter } | undefined;
  beforeEach(async () => {
    started = await startSlackWithUsers({ signingSecret, ...scope }, botConfig, {
      worker: extras.worker?.(scope.prefix),
      random: extras.random,
    });
  });
  const fake = (): FakeSlack => {
    if (!started) throw new Error('the Slack pipeline starts before each test');
    return started.fake;
  };
  const url = () => `http://127.0.0.1:${started?.adapter.port}/slack/events`;
  const signing = { signingSecret };
  /** `/lstm-settings <text>` by `user` in `channel`; its response_url's id is `s-<channel>-<user>`. */
  const settings = (channel: string, user: string, text: string) => {
    const fields = { command: '/lstm-settings', text, user_id: user, channel_id: channel, team_id: fake().teamId };
    return postSlashCommand(url(), { ...fields, response_url: fake().responseUrl(`s-${channel}-${user}`) }, signing);
  };
  /** `/lstm-settings <setting> on` by the admin, and its public announcement. */
  const switchOn = async (channel: string, setting: string): Promise<unknown> => {
    expect((await settings(channel, 'UADMIN', `${setting} on`)).status).toBe(200);
    return fake().waitFor(() => fake().responsePosts.find((p) => p.id === `s-${channel}-UADMIN`));
  };
  const posts = (method: string, channel: string) =>
    fake().calls.filter((c) => c.method === method && c.args.channel === channel);
  const answerIn = (method: string, channel: string, count = 1): Promise<FakeSlackCall[]> =>
    fake().waitFor(() => (posts(method, channel).length >= count ? posts(method, channel) : undefined));
  /** The test's key and queue prefix. */
  const prefix = () => scope.prefix;
  return { fake, url, signing, settings, switchOn, posts, answerIn, prefix, scope };
}
