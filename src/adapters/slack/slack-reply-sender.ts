import { webApi } from '@slack/bolt';
import type { OutboundReply, ReplyAddress, ReplySender, SentReply } from '../../commands/reply-address.js';
import type { Logger } from '../../ops/logger.js';
import { ResponseUrlUses } from './response-url-uses.js';
import { safeSlackText } from './safe-slack-text.js';
import { SlackAdapterError } from './slack-adapter-error.js';

export interface SlackReplySenderOptions {
  client: webApi.WebClient;
  logger: Logger;
  uses?: ResponseUrlUses;
  fetch?: typeof globalThis.fetch;
  now?: () => number;
}

/** What keeps a post from notifying anyone or unfurling links, on every path. */
const QUIET = { parse: 'none', link_names: false, unfurl_links: false, unfurl_media: false } as const;
/** `chat.update` takes no unfurl options: the message keeps the ones it was posted with. */
const QUIET_UPDATE = { parse: 'none', link_names: false } as const;

type SlackAddress = Extract<ReplyAddress, { platform: 'slack' }>;

/**
 * Posts answers to Slack with only a reply address: to the command's `response_url` while it is
 * valid (30 minutes, 5 uses), otherwise (or if Slack refuses it) with `chat.postMessage` for public
 * answers and `chat.postEphemeral` for private ones. Text is always made inert by `safeSlackText`.
 * A public status message (a `/retrain`'s progress) is posted once with `chat.postMessage`, whose
 * channel and `ts` come back as its reference, and `chat.update`d for every later state; if the
 * update is refused (the message was deleted, ...), a new one is posted.
 * @see https://docs.slack.dev/interactivity/handling-user-interaction#message_responses
 * @see https://docs.slack.dev/reference/methods/chat.postMessage
 * @see https://docs.slack.dev/reference/methods/chat.update
 */
export class SlackReplySender implements ReplySender {
  readonly #client: webApi.WebClient;
  readonly #logger: Logger;
  readonly #uses: ResponseUrlUses;
  readonly #fetch: typeof globalThis.fetch;

  constructor({
    client,
    logger,
    now = Date.now,
    uses = new ResponseUrlUses(undefined, now),
    fetch,
  }: SlackReplySenderOptions) {
    this.#client = client;
    this.#logger = logger;
    this.#uses = uses;
    this.#fetch = fetch ?? globalThis.fetch;
  }

  async send(address: ReplyAddress, reply: OutboundReply): Promise<SentReply | void> {
    if (address.platform !== 'slack') {
      throw new SlackAdapterError('SLACK_WRONG_PLATFORM', `cannot answer a ${address.platform} command on Slack`);
    }
    const text = safeSlackText(reply.text);
    if (reply.status && reply.visibility === 'public') {
      const sent = await this.#status(address, text, reply.status.messageRef);
      if (sent) return sent;
    }
    if (this.#uses.take(address.responseUrl, address.expiresAt)) {
      try {
        await this.#postToResponseUrl(address.responseUrl, text, reply.visibility);
        return;
      } catch (error) {
        this.#logger.warn(
          { err: error, platform: 'slack', channel: address.channelId },
          'response_url refused; posting with the Web API',
        );
      }
    }
    try {
      if (reply.visibility === 'public') {
        await this.#client.chat.postMessage({ channel: address.channelId, text, ...QUIET });
      } else {
        await this.#client.chat.postEphemeral({ channel: address.channelId, user: address.userId, text, ...QUIET });
      }
    } catch (error) {
      throw postError(error, address.channelId);
    }
  }

  /** Updates the status message, or posts it; undefined when the bot may not post in the channel. */
  async #status(address: SlackAddress, text: string, messageRef: string | undefined): Promise<SentReply | undefined> {
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
    try {
      const posted = await this.#client.chat.postMessage({ channel: address.channelId, text, ...QUIET });
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

  async #postToResponseUrl(url: string, text: string, visibility: OutboundReply['visibility']): Promise<void> {
    const response = await this.#fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        response_type: visibility === 'public' ? 'in_channel' : 'ephemeral',
        replace_original: false,
        text,
        ...QUIET,
      }),
      signal: AbortSignal.timeout(10_000),
    });
    if (!response.ok) {
      const body = await response.text().catch(() => '');
      throw new Error(`response_url answered ${response.status} ${body.slice(0, 100)}`);
    }
  }
}

/**
 * Rate limits stay retryable (with Slack's wait); a refusal such as `not_in_channel`,
 * `channel_not_found` or `is_archived` is not; network and HTTP errors are.
 */
function postError(error: unknown, channel: string): unknown {
  if (error instanceof webApi.WebAPIRateLimitedError) {
    return new SlackAdapterError('SLACK_RATE_LIMITED', `Slack rate-limited a post to ${channel}`, {
      cause: error,
      retryAfterMs: error.retryAfter * 1000,
    });
  }
  if (error instanceof webApi.WebAPIPlatformError) {
    return new SlackAdapterError('SLACK_POST_REFUSED', `Slack refused a post to ${channel}: ${error.data.error}`, {
      cause: error,
      retryable: false,
    });
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
