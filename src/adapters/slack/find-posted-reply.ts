import { webApi } from '@slack/bolt';
import type { DeliveryAttempt } from '../../commands/reply-address.js';
import { CodedError } from '../../errors/coded-error.js';

/** The `event_type` of the metadata every reply carries; its payload names the reply. */
export const REPLY_EVENT_TYPE = 'lstm_bot_reply';

/** Message metadata naming a reply, for `chat.postMessage` and `response_url` posts. */
export function replyMetadata(replyId: string) {
  return { event_type: REPLY_EVENT_TYPE, event_payload: { reply_id: replyId } };
}

/** Slack's and the bot host's clocks may differ by this much. */
const CLOCK_SKEW_MS = 60_000;
/** History pages read at most (200 messages each) since the first attempt. */
const MAX_PAGES = 10;

/** A message of `conversations.history` with the metadata our posts carry. */
interface PostedMessage {
  ts?: string;
  metadata?: { event_type?: string; event_payload?: { reply_id?: unknown } };
}

/**
 * Whether a reply is already in the channel: reads `conversations.history` from the first attempt on,
 * with `include_all_metadata` (Slack returns message metadata only then), for a message carrying
 * `replyMetadata(attempt.id)`. Resolves with its `ts`, `absent`, or `unknown` when Slack will not show
 * the channel's history (the bot is not in the channel, lacks `channels:history`, ...). A rate limit
 * rejects with `SLACK_RATE_LIMITED` (the job waits and checks again); network errors reject as they are.
 * @see https://docs.slack.dev/reference/methods/conversations.history
 * @see https://docs.slack.dev/messaging/message-metadata
 */
export async function findPostedReply(
  client: webApi.WebClient,
  channel: string,
  attempt: DeliveryAttempt,
): Promise<{ ts: string } | 'absent' | 'unknown'> {
  const oldest = (Math.max(0, attempt.firstAttemptAt - CLOCK_SKEW_MS) / 1000).toFixed(6);
  let cursor: string | undefined;
  for (let page = 0; page < MAX_PAGES; page += 1) {
    let result: webApi.ConversationsHistoryResponse;
    try {
      result = await client.conversations.history({
        channel,
        oldest,
        limit: 200,
        include_all_metadata: true,
        ...(cursor ? { cursor } : {}),
      });
    } catch (error) {
      if (error instanceof webApi.WebAPIRateLimitedError) {
        throw new CodedError('SLACK_RATE_LIMITED', `Slack rate-limited reading ${channel}`, {
          cause: error,
          retryAfterMs: error.retryAfter * 1000,
        });
      }
      if (error instanceof webApi.WebAPIPlatformError) return 'unknown';
      throw error;
    }
    const messages = (result.messages ?? []) as PostedMessage[];
    const found = messages.find(
      (m) => m.metadata?.event_type === REPLY_EVENT_TYPE && m.metadata.event_payload?.reply_id === attempt.id,
    );
    if (found?.ts) return { ts: found.ts };
    cursor = result.response_metadata?.next_cursor;
    if (!result.has_more || !cursor) return 'absent';
  }
  return 'unknown';
}
