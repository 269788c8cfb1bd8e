import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One message the bot put in front of a user, as the fake Slack received it. */
export interface PlatformPost {
  /** `performance.now()` when it arrived. */
  atMs: number;
  via: 'response_url' | 'chat.postMessage' | 'chat.postEphemeral';
  visibility: 'public' | 'private';
  text: string;
  /** The id in the `response_url`'s path (response_url posts). */
  responseId?: string;
  channel?: string;
  /** The user an ephemeral message was shown to. */
  user?: string;
}

/** A message in a channel's history, as `conversations.history` returns it. */
interface ChannelMessage {
  type: 'message';
  ts: string;
  text: string;
  user: string;
  bot_id: string;
  app_id: string;
  metadata?: unknown;
}

const BOT = { user: 'UCHAOSBOT', bot_id: 'BCHAOSBOT', app_id: 'ACHAOS' } as const;

/**
 * The part of Slack the bot talks to when it answers slash commands, on 127.0.0.1: `auth.test`,
 * `users.info`, `chat.postMessage`, `chat.postEphemeral`, `conversations.history` (with message
 * `metadata` when `include_all_metadata` is set, and cursor pages) and `response_url`s under
 * `/response/<id>`. Public posts (`chat.postMessage`, `in_channel` responses) join their channel's
 * history as Slack's do, with their metadata, so a bot can look for a message it may have posted.
 * Every post is recorded in `posts`; `beforeAnswer` runs before the bot gets the HTTP answer to a
 * post (the bot experiment kills the bot there: the post happened, the bot never learns it did).
 * @see https://docs.slack.dev/interactivity/handling-user-interaction#message_responses
 * @see https://docs.slack.dev/reference/methods/conversations.history
 * @see https://docs.slack.dev/messaging/message-metadata
 */
export class FakeSlackPlatform {
  readonly botToken = `xoxb-chaos-${randomBytes(12).toString('hex')}`;
  readonly teamId = 'TCHAOS';
  readonly posts: PlatformPost[] = [];
  /** Calls of every Web API method, by name (`auth.test`, `conversations.history`, ...). */
  readonly calls = new Map<string, number>();
  beforeAnswer: ((post: PlatformPost) => void) | undefined;
  readonly #history = new Map<string, ChannelMessage[]>();
  #lastTsMicros = 0;
  #server: Server | undefined;
  #base = '';

  get apiUrl(): string {
    return `${this.#base}/api/`;
  }

  responseUrl(id: string): string {
    return `${this.#base}/response/${id}`;
  }

  async start(): Promise<void> {
    const server = createServer((req, res) => {
      this.#handle(req, res).catch((error: unknown) => {
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
        res.end(String(error));
      });
    });
    this.#server = server;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    this.#base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  /** Stops listening and drops the bot's keep-alive connections. */
  async stop(): Promise<void> {
    if (!this.#server) return;
    const closed = once(this.#server.close(), 'close');
    this.#server.closeAllConnections();
    this.#server = undefined;
    await closed;
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const path = new URL(req.url ?? '/', this.#base).pathname;
    const responseId = /^\/response\/([\w-]+)$/.exec(path)?.[1];
    if (responseId !== undefined) {
      this.#respond(responseId, JSON.parse(raw) as Record<string, unknown>, res);
      return;
    }
    const method = /^\/api\/([\w.]+)$/.exec(path)?.[1];
    if (method === undefined) {
      res.writeHead(404).end();
      return;
    }
    this.calls.set(method, (this.calls.get(method) ?? 0) + 1);
    const args = webApiArgs(raw, req.headers['content-type']);
    const authorised = req.headers.authorization === `Bearer ${this.botToken}`;
    const body = authorised ? this.#call(method, args) : { ok: false, error: 'invalid_auth' };
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  }

  /** A `response_url` post: `in_channel` joins the channel (which the id names, `<channel>-<n>`). */
  #respond(responseId: string, body: Record<string, unknown>, res: ServerResponse): void {
    const visibility = body.response_type === 'in_channel' ? 'public' : 'private';
    const channel = responseId.split('-')[0];
    const post: PlatformPost = {
      atMs: performance.now(),
      via: 'response_url',
      visibility,
      text: String(body.text),
      responseId,
    };
    if (channel !== undefined) post.channel = channel;
    this.#record(post, body.metadata);
    res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
  }

  #call(method: string, args: Record<string, unknown>): Record<string, unknown> {
    switch (method) {
      case 'auth.test':
        return {
          ok: true,
          team_id: this.teamId,
          team: 'Chaos',
          user_id: BOT.user,
          user: 'lstm-bot',
          bot_id: BOT.bot_id,
        };
      case 'users.info':
        return { ok: true, user: { id: args.user, team_id: this.teamId, is_admin: false, is_owner: false } };
      case 'chat.postMessage': {
        const channel = String(args.channel);
        const ts = this.#record(
          { atMs: performance.now(), via: 'chat.postMessage', visibility: 'public', text: String(args.text), channel },
          args.metadata,
        );
        return { ok: true, channel, ts, message: { ...BOT, type: 'message', ts, text: args.text } };
      }
      case 'chat.postEphemeral': {
        const post: PlatformPost = {
          atMs: performance.now(),
          via: 'chat.postEphemeral',
          visibility: 'private',
          text: String(args.text),
          channel: String(args.channel),
          user: String(args.user),
        };
        return { ok: true, message_ts: this.#record(post, undefined) };
      }
      case 'conversations.history':
        return this.#historyPage(args);
      default:
        return { ok: false, error: 'unknown_method' };
    }
  }

  /** Records a post (and a public one in its channel's history); returns its `ts`. */
  #record(post: PlatformPost, metadata: unknown): string {
    this.#lastTsMicros = Math.max(this.#lastTsMicros + 1, Date.now() * 1_000);
    const ts = (this.#lastTsMicros / 1e6).toFixed(6);
    this.posts.push(post);
    if (post.visibility === 'public' && post.channel !== undefined) {
      const message: ChannelMessage = { type: 'message', ts, text: post.text, ...BOT };
      if (metadata !== undefined) message.metadata = parseMetadata(metadata);
      const messages = this.#history.get(post.channel) ?? [];
      messages.push(message);
      this.#history.set(post.channel, messages);
    }
    this.beforeAnswer?.(post);
    return ts;
  }

  /** Newest first, between `oldest` and `latest` (exclusive unless `inclusive`), `limit` per page. */
  #historyPage(args: Record<string, unknown>): Record<string, unknown> {
    const inclusive = args.inclusive === true || args.inclusive === 'true';
    const oldest = args.oldest === undefined ? -Infinity : Number(args.oldest);
    const latest = args.latest === undefined ? Infinity : Number(args.latest);
    const withMetadata = args.include_all_metadata === true || args.include_all_metadata === 'true';
    const inRange = (ts: number) => (inclusive ? ts >= oldest && ts <= latest : ts > oldest && ts < latest);
    const messages = (this.#history.get(String(args.channel)) ?? [])
      .filter((message) => inRange(Number(message.ts)))
      .reverse()
      .map(({ metadata, ...message }) => (withMetadata && metadata !== undefined ? { ...message, metadata } : message));
    const limit = Math.min(Math.max(Number(args.limit ?? 100) || 100, 1), 999);
    const offset = typeof args.cursor === 'string' && args.cursor !== '' ? Number(args.cursor) : 0;
    const hasMore = offset + limit < messages.length;
    return {
      ok: true,
      messages: messages.slice(offset, offset + limit),
      has_more: hasMore,
      response_metadata: { next_cursor: hasMore ? String(offset + limit) : '' },
    };
  }
}

/** WebClient sends arguments form-encoded (objects as JSON text), or as JSON. */
function webApiArgs(raw: string, contentType: string | undefined): Record<string, unknown> {
  if (raw === '') return {};
  if (contentType?.includes('application/json')) return JSON.parse(raw) as Record<string, unknown>;
  return Object.fromEntries(new URLSearchParams(raw));
}

function parseMetadata(metadata: unknown): unknown {
  if (typeof metadata !== 'string') return metadata;
  try {
    return JSON.parse(metadata) as unknown;
  } catch {
    return undefined;
  }
}
