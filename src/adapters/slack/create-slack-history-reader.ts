import type { webApi } from '@slack/bolt';
import type { Config } from '../../config/schema.js';
import type { Logger } from '../../ops/logger.js';
import { createSlackWebClient } from './create-slack-web-client.js';
import type { HistoryMessage } from '../../history/history-source.js';
import { readSlackHistory, type ReadSlackHistoryOptions } from './read-slack-history.js';

export type SlackHistoryReader = (
  options: Omit<ReadSlackHistoryOptions, 'pageSize'> & { pageSize?: number },
) => AsyncGenerator<HistoryMessage>;

/**
 * The history reader a trainer needs, bound to `SLACK_BOT_TOKEN` and `SLACK_HISTORY_PAGE_SIZE`.
 * `undefined` when no Slack token is configured.
 */
export function createSlackHistoryReader(
  config: Config,
  logger: Logger,
  retryConfig?: webApi.RetryOptions,
): SlackHistoryReader | undefined {
  if (!config.SLACK_BOT_TOKEN) return undefined;
  const client = createSlackWebClient({
    token: config.SLACK_BOT_TOKEN.reveal(),
    apiUrl: config.SLACK_API_URL,
    logger,
    retryConfig,
  });
  return (options) => readSlackHistory(client, { pageSize: config.SLACK_HISTORY_PAGE_SIZE, ...options });
}
