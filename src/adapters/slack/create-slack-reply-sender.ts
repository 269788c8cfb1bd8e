import type { webApi } from '@slack/bolt';
import type { ReplySender } from '../../commands/reply-address.js';
import type { Config } from '../../config/schema.js';
import type { Logger } from '../../ops/logger.js';
import { createSlackWebClient } from './create-slack-web-client.js';
import { SlackReplySender } from './slack-reply-sender.js';

/**
 * A `ReplySender` for a process without the Bolt app (a worker on another host): it needs only
 * `SLACK_BOT_TOKEN` (and `SLACK_API_URL` in tests). `undefined` when no Slack token is configured.
 */
export function createSlackReplySender(
  config: Config,
  logger: Logger,
  retryConfig?: webApi.RetryOptions,
): ReplySender | undefined {
  if (!config.SLACK_BOT_TOKEN) return undefined;
  const client = createSlackWebClient({
    token: config.SLACK_BOT_TOKEN.reveal(),
    apiUrl: config.SLACK_API_URL,
    logger,
    retryConfig,
  });
  return new SlackReplySender({ client, logger });
}
