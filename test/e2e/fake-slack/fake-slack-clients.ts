import { createSlackWebClient } from '../../../src/adapters/slack/create-slack-web-client.js';
import { SlackChatAdapter } from '../../../src/adapters/slack/slack-chat-adapter.js';
import { configSchema, type Config } from '../../../src/config/schema.js';
import type { Logger } from '../../../src/ops/logger.js';
import { silentLogger } from '../../helpers/redis-test-env.js';
import type { FakeSlack } from './fake-slack.js';

/** The configuration of a bot whose Slack is `fake`, checking requests with `signingSecret`. */
export function fakeSlackConfig(fake: FakeSlack, signingSecret: string, prefix: string): Config {
  return configSchema.parse({
    SLACK_BOT_TOKEN: fake.botToken,
    SLACK_SIGNING_SECRET: signingSecret,
    SLACK_API_URL: fake.apiUrl,
    QUEUE_PREFIX: prefix,
  });
}

/** The real Slack adapter (Bolt's HTTP receiver on a free port of 127.0.0.1) on `config`, without retries. */
export function fakeSlackAdapter(config: Config): SlackChatAdapter {
  return new SlackChatAdapter({
    config,
    logger: silentLogger,
    listen: { port: 0, host: '127.0.0.1' },
    retryConfig: { retries: 0 },
  });
}

/** A Web API client of the fake's bot, without retries. */
export function fakeSlackWebClient(fake: FakeSlack, logger: Logger) {
  return createSlackWebClient({ token: fake.botToken, apiUrl: fake.apiUrl, logger, retryConfig: { retries: 0 } });
}
