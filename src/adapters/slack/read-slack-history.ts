import { setTimeout as delay } from 'node:timers/promises';
import { webApi } from '@slack/bolt';
import type { HistoryMessage } from '../../history/history-source.js';
import { slackTextToPlain } from './slack-text-to-plain.js';
import { CodedError } from '../../errors/coded-error.js';

export interface ReadSlackHistoryOptions {
  channel: string;
  /**
   * Messages per request (`limit`), default 200. Slack gives commercially distributed apps outside
   * the Marketplace at most 15 a page and one request a minute; internal apps far more.
   */
  pageSize?: number;
  /** Resume where an earlier read stopped: the `cursor` last passed to `onPage`. */
  cursor?: string;
  /**
   * Resume strictly before this message: the `id` (ts) of the last message an earlier read yielded
   * (Slack's `latest`, exclusive). Exact, with no repeats; works without a saved cursor.
   */
  before?: string;
  /** Stop after yielding this many messages. */
  maxMessages?: number;
  /**
   * A checkpoint after each page, once all its messages were consumed: the cursor of the next page
   * (`undefined` at the end) and the counts so far. Resuming from it repeats nothing already
   * checkpointed; messages consumed after the last checkpoint come again (dedupe by `id`).
   */
  onPage?: (progress: { nextCursor: string | undefined; pages: number; messages: number }) => void;
  /** Waits after a 429 in a row before giving up with `SLACK_RATE_LIMITED`. */
  maxRateLimitWaits?: number;
  signal?: AbortSignal;
  /** How to wait out `Retry-After` (tests observe it); a real timer by default. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

const sleepFor = (ms: number, signal?: AbortSignal) => delay(ms, undefined, { signal });

/**
 * Reads a channel's history newest first, page by page, yielding people's messages only: anything
 * with a `subtype` (joins, edits, bot messages, ...) or a `bot_id` is skipped. A 429 is waited out
 * for its `Retry-After` and the same page asked again (needs a client made by
 * `createSlackWebClient`, which rejects rate-limited calls instead of waiting silently). The bot
 * must be in the channel: otherwise `SLACK_NOT_IN_CHANNEL` (or `SLACK_CHANNEL_NOT_FOUND`).
 * @see https://docs.slack.dev/reference/methods/conversations.history
 */
export async function* readSlackHistory(
  client: webApi.WebClient,
  {
    channel,
    pageSize = 200,
    cursor,
    before,
    maxMessages = Infinity,
    onPage,
    maxRateLimitWaits = 10,
    signal,
    sleep = sleepFor,
  }: ReadSlackHistoryOptions,
): AsyncGenerator<HistoryMessage> {
  if (maxMessages <= 0) return;
  let next = cursor;
  let pages = 0;
  let messages = 0;
  let waits = 0;
  for (;;) {
    signal?.throwIfAborted();
    let page: webApi.ConversationsHistoryResponse;
    try {
      page = await client.conversations.history({
        channel,
        limit: pageSize,
        ...(next ? { cursor: next } : {}),
        ...(before ? { latest: before, inclusive: false } : {}),
      });
    } catch (error) {
      if (error instanceof webApi.WebAPIRateLimitedError && waits < maxRateLimitWaits) {
        waits += 1;
        await sleep(error.retryAfter * 1000, signal);
        continue;
      }
      throw historyError(error, channel);
    }
    waits = 0;
    pages += 1;
    next = page.response_metadata?.next_cursor || undefined;
    for (const message of page.messages ?? []) {
      if (message.subtype !== undefined || message.bot_id !== undefined || !message.user || !message.ts) continue;
      const text = slackTextToPlain(message.text ?? '').trim();
      if (text === '') continue;
      messages += 1;
      yield { id: message.ts, authorId: message.user, text, timestamp: Math.round(Number(message.ts) * 1000) };
      if (messages >= maxMessages) return;
    }
    onPage?.({ nextCursor: next, pages, messages });
    if (next === undefined) return;
  }
}

function historyError(error: unknown, channel: string): CodedError {
  if (error instanceof webApi.WebAPIRateLimitedError) {
    return new CodedError('SLACK_RATE_LIMITED', `Slack kept rate-limiting history of ${channel}`, {
      cause: error,
    });
  }
  const code = error instanceof webApi.WebAPIPlatformError ? error.data.error : undefined;
  if (code === 'not_in_channel') {
    return new CodedError(
      'SLACK_NOT_IN_CHANNEL',
      `The bot is not a member of ${channel}: invite it (/invite @bot) to read the history`,
      { cause: error, retryable: false },
    );
  }
  if (code === 'channel_not_found') {
    return new CodedError('SLACK_CHANNEL_NOT_FOUND', `Channel ${channel} not found, or private and the bot not in it`, {
      cause: error,
      retryable: false,
    });
  }
  return new CodedError('SLACK_HISTORY_FAILED', `Reading history of ${channel} failed: ${String(error)}`, {
    cause: error,
  });
}
