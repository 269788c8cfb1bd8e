import { webApi } from '@slack/bolt';
import type { Logger } from '../../ops/logger.js';
import { boltLogger } from './bolt-logger.js';

export interface SlackWebClientOptions {
  token: string;
  /** `SLACK_API_URL`; Slack's own by default. */
  apiUrl?: string;
  logger: Logger;
  /** Retries of failed calls (not rate limits). Tests pass `{ retries: 0 }`. */
  retryConfig?: webApi.RetryOptions;
}

/** Retries of network errors and 5xx: a few seconds, not WebClient's default of about 30 minutes. */
export const slackRetryDefaults = { retries: 3, factor: 2, minTimeout: 500, maxTimeout: 5_000 } as const;

/**
 * Options for every WebClient of this adapter. Rate-limited calls are rejected with
 * `WebAPIRateLimitedError` (carrying `retryAfter`) instead of WebClient's silent wait, so each caller
 * decides: the history reader waits `Retry-After` itself, a reply fails and its job retries later.
 */
export function slackClientOptions({ apiUrl, logger, retryConfig }: Omit<SlackWebClientOptions, 'token'>) {
  return {
    ...(apiUrl === undefined ? {} : { slackApiUrl: apiUrl }),
    logger: boltLogger(logger),
    retryConfig: retryConfig ?? { ...slackRetryDefaults },
    rejectRateLimitedCalls: true,
  } satisfies webApi.WebClientOptions;
}

export function createSlackWebClient({ token, ...options }: SlackWebClientOptions): webApi.WebClient {
  return new webApi.WebClient(token, slackClientOptions(options));
}
