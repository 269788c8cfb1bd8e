import type { IncomingHttpHeaders } from 'node:http';
import { verifySlackRequest } from '@slack/bolt';

/** Slack's own bound: a request dated further from now, in either direction, is refused. */
export const SLACK_REQUEST_MAX_SKEW_MS = 5 * 60_000;

export interface SlackRequestCheck {
  signingSecret: string;
  headers: IncomingHttpHeaders;
  /** The raw body as Slack signed it (UTF-8). */
  body: string;
  nowMs: number;
}

/**
 * Why a request is not Slack's, or `undefined` when it is: one `x-slack-signature` and one
 * `x-slack-request-timestamp` header, a timestamp at most 5 minutes before or after `nowMs` (Bolt
 * itself only refuses old ones), and the `v0` HMAC-SHA256 of `v0:<timestamp>:<body>` (Bolt's
 * `verifySlackRequest`, a constant-time comparison).
 * @see https://docs.slack.dev/authentication/verifying-requests-from-slack
 */
export function slackRequestProblem({ signingSecret, headers, body, nowMs }: SlackRequestCheck): string | undefined {
  const signature = headers['x-slack-signature'];
  const timestamp = headers['x-slack-request-timestamp'];
  if (typeof signature !== 'string' || typeof timestamp !== 'string') return 'missing or repeated signature headers';
  if (!/^\d{1,12}$/.test(timestamp)) return 'malformed x-slack-request-timestamp';
  const skewMs = Number(timestamp) * 1000 - nowMs;
  if (Math.abs(skewMs) > SLACK_REQUEST_MAX_SKEW_MS) {
    return `x-slack-request-timestamp is ${Math.round(skewMs / 1000)} s from now (at most 300 s either way)`;
  }
  try {
    verifySlackRequest({
      signingSecret,
      body,
      headers: { 'x-slack-signature': signature, 'x-slack-request-timestamp': Number(timestamp) },
      nowMilliseconds: nowMs,
    });
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}
