import { webApi } from '@slack/bolt';
import type {
  DeliveryAttempt,
  OutboundReply,
  ReplyAddress,
  ReplySender,
  SentReply,
} from '../../commands/reply-address.js';
import type { Logger } from '../../ops/logger.js';
import { findPostedReply, replyMetadata } from './find-posted-reply.js';
import type { ResponseUrlUses } from './response-url-uses.js';
import { safeSlackText } from './safe-slack-text.js';
import { CodedError, isCodedError } from '../../errors/coded-error.js';
import type { ErrorCode } from '../../errors/error-codes.js';

export interface SlackReplySenderOptions {
  client: webApi.WebClient;
  logger: Logger;
  /** Posts taken from each `response_url` and the dead ones, shared by every bot process (Redis). */
  uses: ResponseUrlUses;
  fetch?: typeof globalThis.fetch;
}

/** What keeps a post from notifying anyone or unfurling links, on every path. */
const QUIET = { parse: 'none', link_names: false, unfurl_links: false, unfurl_media: false } as const;
/** `chat.update` takes no unfurl options: the message keeps the ones it was posted with. */
const QUIET_UPDATE = { parse: 'none', link_names: false } as const;

type SlackAddress = Extract<ReplyAddress, { platform: 'slack' }>;

/**
 * Posts answers to Slack with only a reply address: to the command's `response_url` while it is
 * valid (30 minutes, 5 uses, not called dead by Slack: `ResponseUrlUses`), otherwise (or if Slack
 * refuses it, or a mention has none) with `chat.postMessage` for public answers and `chat.postEphemeral`
 * for private ones, in the mention's thread when it was in one.
 * Text is always made inert by `safeSlackText`. A public status message (a `/retrain`'s progress) is
 * posted once with `chat.postMessage`, whose channel and `ts` come back as its reference, and
 * `chat.update`d for every later state; if the update is refused (the message was deleted, ...), a
 * new one is posted.
 *
 * Every public post of a queued reply carries message metadata naming the reply (`replyMetadata`).
 * When an earlier attempt may have posted it (`delivery.mayHavePosted`: its bot died mid-post, or
 * the post failed), the channel's history is read first (`findPostedReply`) and the reply is not
 * posted again if it is there. Private (ephemeral) answers never appear in a history: they are posted
 * again, as is a public one when Slack will not show the history; a second copy beats no answer.
 * @see https://docs.slack.dev/interactivity/handling-user-interaction#message_responses
 * @see https://docs.slack.dev/reference/methods/chat.postMessage
 * @see https://docs.slack.dev/reference/methods/chat.update
 */
export class SlackReplySender implements ReplySender {
  readonly #client: webApi.WebClient;
  readonly #logger: Logger;
  readonly #uses: ResponseUrlUses;
  readonly #fetch: typeof globalThis.fetch;

  constructor({ client, logger, uses, fetch }: SlackReplySenderOptions) {
    this.#client = client;
    this.#logger = logger;
    this.#uses = uses;
    this.#fetch = fetch ?? globalThis.fetch;
  }

  async send(address: ReplyAddress, reply: OutboundReply): Promise<SentReply | void> {
    if (address.platform !== 'slack') {
      throw new CodedError('SLACK_WRONG_PLATFORM', `cannot answer a ${address.platform} command on Slack`);
    }
    const text = safeSlackText(reply.text);
    // Only a public message can be found again in the channel's history.
    const metadata = reply.delivery && reply.visibility === 'public' ? replyMetadata(reply.delivery.id) : undefined;
    if (reply.status && reply.visibility === 'public') {
      const sent = await this.#status(address, text, reply.status.messageRef, reply.delivery);
      if (sent) return sent;
    } else if (reply.visibility === 'public' && (await this.#postedBefore(address.channelId, reply.delivery))) {
      return;
    }
    const responseUrl = address.responseUrl;
    if (responseUrl !== undefined && (await this.#uses.take(responseUrl, address.expiresAt))) {
      try {
        await this.#postToResponseUrl(responseUrl, text, reply.visibility, metadata);
        return;
      } catch (error) {
        if (isCodedError(error, 'SLACK_RESPONSE_URL_DEAD')) {
          await this.#uses.markDead(responseUrl, address.expiresAt);
        }
        this.#logger.warn(
          { err: error, platform: 'slack', channel: address.channelId },
          'response_url refused; posting with the Web API',
        );
      }
    }
    const thread = address.threadTs === undefined ? {} : { thread_ts: address.threadTs };
    try {
      if (reply.visibility === 'public') {
        await this.#client.chat.postMessage({
          channel: address.channelId,
          text,
          ...thread,
          ...QUIET,
          ...withMetadata(metadata),
        });
      } else {
        const user = address.userId;
        await this.#client.chat.postEphemeral({ channel: address.channelId, user, text, ...thread, ...QUIET });
      }
    } catch (error) {
      throw postError(error, address.channelId);
    }
  }

  /**
   * Whether an earlier attempt of this delivery already posted it in the channel (only asked when one
   * may have). When Slack will not say, posts again (logged): a reply seen twice beats one never seen.
   */
  async #postedBefore(channel: string, delivery: DeliveryAttempt | undefined): Promise<{ ts: string } | undefined> {
    if (!delivery?.mayHavePosted) return undefined;
    const found = await findPostedReply(this.#client, channel, delivery);
    if (found === 'unknown') {
      this.#logger.warn(
        { platform: 'slack', channel, replyId: delivery.id },
        'cannot read the channel to see whether an interrupted reply went out; posting it again',
      );
      return undefined;
    }
    if (found === 'absent') return undefined;
    this.#logger.info({ platform: 'slack', channel, replyId: delivery.id }, 'reply was already posted; not again');
    return found;
  }

  /** Updates the status message, or posts it; undefined when the bot may not post in the channel. */
  async #status(
    address: SlackAddress,
    text: string,
    messageRef: string | undefined,
    delivery: DeliveryAttempt | undefined,
  ): Promise<SentReply | undefined> {
    const shown = parseMessageRef(messageRef);
    if (shown) {
      try {
        await this.#client.chat.update({ channel: shown.channel, ts: shown.ts, text, ...QUIET_UPDATE });
        return { messageRef };
      } catch (error) {
        if (!(error instanceof webApi.WebAPIPlatformError)) throw postError(error, shown.channel);
        this.#logger.warn(
          { platform: 'slack', channel: shown.channel, error: error.data.error },
          'could not update the status message; posting a new one',
        );
      }
    }
    const earlier = await this.#postedBefore(address.channelId, delivery);
    if (earlier) return { messageRef: JSON.stringify({ channel: address.channelId, ts: earlier.ts }) };
    try {
      const posted = await this.#client.chat.postMessage({
        channel: address.channelId,
        text,
        ...QUIET,
        ...withMetadata(delivery ? replyMetadata(delivery.id) : undefined),
      });
      if (!posted.ts) return {};
      return { messageRef: JSON.stringify({ channel: posted.channel ?? address.channelId, ts: posted.ts }) };
    } catch (error) {
      if (!(error instanceof webApi.WebAPIPlatformError)) throw postError(error, address.channelId);
      this.#logger.warn(
        { platform: 'slack', channel: address.channelId, error: error.data.error },
        'could not post the status message; answering through the response_url',
      );
      return undefined;
    }
  }

  /**
   * Posts to the `response_url`; a 404 or 410, or Slack's `expired_url` / `used_url`, is
   * `SLACK_RESPONSE_URL_DEAD`, a 429 `SLACK_RATE_LIMITED` with Slack's wait.
   */
  async #postToResponseUrl(
    url: string,
    text: string,
    visibility: OutboundReply['visibility'],
    metadata: ReturnType<typeof replyMetadata> | undefined,
  ): Promise<void> {
    const response = await this.#fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        response_type: visibility === 'public' ? 'in_channel' : 'ephemeral',
        replace_original: false,
        text,
        ...QUIET,
        ...withMetadata(metadata),
      }),
      signal: AbortSignal.timeout(10_000),
    });
    if (response.ok) return;
    const body = (await response.text().catch(() => '')).slice(0, 100);
    const message = `response_url answered ${response.status} ${body}`;
    if (response.status === 404 || response.status === 410 || /expired_url|used_url/.test(body)) {
      throw new CodedError('SLACK_RESPONSE_URL_DEAD', message, { retryable: false });
    }
    if (response.status === 429) {
      const retryAfterS = Number(response.headers.get('retry-after') ?? '1');
      throw new CodedError('SLACK_RATE_LIMITED', message, {
        retryAfterMs: (Number.isFinite(retryAfterS) ? retryAfterS : 1) * 1000,
      });
    }
    throw new CodedError('SLACK_POST_FAILED', message);
  }
}

/** The `metadata` argument, when there is one. */
function withMetadata(metadata: ReturnType<typeof replyMetadata> | undefined): { metadata?: typeof metadata } {
  return metadata ? { metadata } : {};
}

/** Slack's refusals that trying again cannot change, with the code a reply job fails with. */
const REFUSALS: Readonly<Record<string, ErrorCode>> = {
  not_in_channel: 'SLACK_NOT_IN_CHANNEL',
  channel_not_found: 'SLACK_CHANNEL_NOT_FOUND',
  is_archived: 'SLACK_CHANNEL_ARCHIVED',
};
/** Slack's errors that say it failed, not that it refused. */
const TRANSIENT = new Set(['internal_error', 'fatal_error', 'service_unavailable', 'request_timeout']);

/**
 * Rate limits stay retryable (with Slack's wait); `not_in_channel`, `channel_not_found` and
 * `is_archived` have codes of their own and are not retryable, nor is any other refusal but Slack's
 * own failures (`internal_error`, ...); network and HTTP errors are retryable.
 */
function postError(error: unknown, channel: string): unknown {
  if (error instanceof webApi.WebAPIRateLimitedError) {
    return new CodedError('SLACK_RATE_LIMITED', `Slack rate-limited a post to ${channel}`, {
      cause: error,
      retryAfterMs: error.retryAfter * 1000,
    });
  }
  if (error instanceof webApi.WebAPIPlatformError) {
    const reason = String(error.data.error);
    const message = `Slack refused a post to ${channel}: ${reason}`;
    if (TRANSIENT.has(reason)) return new CodedError('SLACK_POST_FAILED', message, { cause: error });
    return new CodedError(REFUSALS[reason] ?? 'SLACK_POST_REFUSED', message, { cause: error, retryable: false });
  }
  return error;
}

function parseMessageRef(ref: string | undefined): { channel: string; ts: string } | undefined {
  if (ref === undefined) return undefined;
  try {
    const parsed = JSON.parse(ref) as { channel?: unknown; ts?: unknown };
    return typeof parsed.channel === 'string' && typeof parsed.ts === 'string'
      ? { channel: parsed.channel, ts: parsed.ts }
      : undefined;
  } catch {
    return undefined;
  }
}
