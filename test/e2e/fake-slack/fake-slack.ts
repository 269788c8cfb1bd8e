import { EventEmitter } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A Web API call as the fake received it: the method, its arguments and the bearer token. */
export interface FakeSlackCall {
  method: string;
  args: Record<string, unknown>;
  token: string | undefined;
  /** When it arrived (epoch ms). */
  at: number;
}

/** A post to a `response_url`, by the id in its path. */
export interface FakeResponsePost {
  id: string;
  body: Record<string, unknown>;
}

export interface FakeSlackMessage {
  ts: string;
  text: string;
  user?: string;
  bot_id?: string;
  subtype?: string;
}

/** Message metadata as Slack stores it with a message. */
export interface FakeSlackMetadata {
  event_type: string;
  event_payload: Record<string, unknown>;
}

/** A message the bot posted (`chat.postMessage`, or an `in_channel` post to a `response_url` of a known channel). */
export interface FakePostedMessage {
  channel: string;
  text: string;
  metadata?: FakeSlackMetadata;
}

/** A scripted answer for the next call of a method: an HTTP status, headers and a JSON body. */
export interface FakeFault {
  status: number;
  headers?: Record<string, string>;
  body: Record<string, unknown>;
}

/** Slack accepts this many posts to one `response_url`; later ones get `used_url`. */
const RESPONSE_URL_USES = 5;

/**
 * A small Slack on 127.0.0.1: the Web API methods the adapter calls (`auth.test`, `users.info`,
 * `chat.postMessage`, `chat.update` of those messages, `chat.postEphemeral`, `conversations.history`
 * with cursor pages) under `/api/`,
 * and `response_url`s under `/response/<id>`. It records everything it receives; `waitFor` resolves
 * when a condition on the records holds.
 *
 * As Slack does, it keeps the `metadata` a message was posted with and returns it from
 * `conversations.history` only when asked with `include_all_metadata`; the history of a channel holds
 * the messages seeded in `history` and those the bot posted there (`chat.postMessage`, and `in_channel`
 * posts to a `response_url` made with a channel), newest first, from `oldest` on when given. A
 * `response_url` takes five posts, then answers 404 `used_url`.
 */
export class FakeSlack {
  readonly botToken: string;
  readonly teamId = 'T0FAKE';
  readonly calls: FakeSlackCall[] = [];
  readonly responsePosts: FakeResponsePost[] = [];
  /** users.info answers by user id; unknown users get `user_not_found`. */
  readonly users = new Map<string, { is_admin?: boolean; is_owner?: boolean; is_primary_owner?: boolean }>();
  /** conversations.history by channel, newest first; a string is the error Slack answers instead. */
  readonly history = new Map<string, FakeSlackMessage[] | string>();
  /** response_url ids that answer 404 `expired_url`. */
  readonly expiredResponseIds = new Set<string>();
  /** Socket Mode: the app-level token `apps.connections.open` accepts, and the WebSocket URL it hands out. */
  readonly socketMode = { appToken: 'xapp-fake-app-token', url: '' };
  /** Messages the bot posted, by ts, as `chat.update` left them; delete one to see updates refused. */
  readonly messages = new Map<string, FakePostedMessage>();
  #lastTs = 0;
  readonly #responseChannels = new Map<string, string>();
  readonly #responseUses = new Map<string, number>();
  /** Requests each `response_url` received, by id, whatever the fake answered. */
  get responseHits(): ReadonlyMap<string, number> {
    return this.#responseUses;
  }
  readonly #holds: { target: string; received: () => void; release: Promise<void> }[] = [];
  readonly #faults = new Map<string, (FakeFault | undefined)[]>();
  readonly #events = new EventEmitter();
  #server: Server | undefined;
  #base = '';

  constructor(botToken = 'xoxb-fake-bot-token') {
    this.botToken = botToken;
    this.#events.setMaxListeners(100);
  }

  get apiUrl(): string {
    return `${this.#base}/api/`;
  }

  /** A `response_url`; with `channel`, its `in_channel` posts become messages of that channel. */
  responseUrl(id: string, channel?: string): string {
    if (channel !== undefined) this.#responseChannels.set(id, channel);
    return `${this.#base}/response/${id}`;
  }

  /** Messages the bot posted in `channel`, oldest first. */
  postedIn(channel: string): (FakePostedMessage & { ts: string })[] {
    return [...this.messages].filter(([, m]) => m.channel === channel).map(([ts, m]) => ({ ts, ...m }));
  }

  /**
   * The next call of `target` (a Web API method, or `response_url`) is carried out but its response
   * withheld until `release`: `received` resolves once the message exists, the moment to kill the caller.
   */
  holdNextResponse(target: string): { received: Promise<void>; release: () => void } {
    let received!: () => void;
    let release!: () => void;
    const done = new Promise<void>((resolve) => (received = resolve));
    const released = new Promise<void>((resolve) => (release = resolve));
    this.#holds.push({ target, received, release: released });
    return { received: done, release };
  }

  /** A later call of `method` (the next one, or the one after `skip` normal answers) gets this answer instead. */
  fault(method: string, fault: FakeFault, { skip = 0 } = {}): void {
    const queue = this.#faults.get(method) ?? [];
    queue.push(...Array.from({ length: skip }, () => undefined), fault);
    this.#faults.set(method, queue);
  }

  callsOf(method: string): FakeSlackCall[] {
    return this.calls.filter((call) => call.method === method);
  }

  /** Resolves with the first defined value of `probe`, checked now and after every request. */
  waitFor<T>(probe: () => T | undefined): Promise<T> {
    return new Promise((resolve) => {
      const check = () => {
        const value = probe();
        if (value === undefined) return false;
        this.#events.off('request', check);
        resolve(value);
        return true;
      };
      if (!check()) this.#events.on('request', check);
    });
  }

  async start(): Promise<void> {
    this.#server = createServer((req, res) => {
      this.#handle(req, res).catch((error: unknown) => {
        res.writeHead(500).end(String(error));
      });
    });
    await new Promise<void>((resolve) => this.#server?.listen(0, '127.0.0.1', resolve));
    this.#base = `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    const server = this.#server;
    this.#server = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readBody(req);
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const response = path.match(/^\/response\/([\w-]+)$/);
    if (response?.[1]) {
      const id = response[1];
      const uses = (this.#responseUses.get(id) ?? 0) + 1;
      this.#responseUses.set(id, uses);
      if (this.expiredResponseIds.has(id)) {
        res.writeHead(404, { 'content-type': 'text/plain' }).end('expired_url');
      } else if (uses > RESPONSE_URL_USES) {
        res.writeHead(404, { 'content-type': 'text/plain' }).end('used_url');
      } else {
        const body = JSON.parse(raw) as Record<string, unknown>;
        this.responsePosts.push({ id, body });
        const channel = this.#responseChannels.get(id);
        if (channel !== undefined && body.response_type === 'in_channel') {
          this.#post(channel, String(body.text), body.metadata);
        }
        this.#events.emit('request');
        await this.#held('response_url');
        res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
        return;
      }
      this.#events.emit('request');
      return;
    }
    const method = path.match(/^\/api\/([\w.]+)$/)?.[1];
    if (!method) {
      res.writeHead(404).end();
      return;
    }
    const token = req.headers.authorization?.replace(/^Bearer /, '');
    const args = parseArgs(raw, req.headers['content-type']);
    this.calls.push({ method, args, token, at: Date.now() });
    const fault = this.#faults.get(method)?.shift();
    const { status, headers, body } = fault ?? { status: 200, headers: {}, body: this.#answer(method, args, token) };
    if (!fault) await this.#held(method);
    res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
    this.#events.emit('request');
  }

  #answer(method: string, args: Record<string, unknown>, token: string | undefined): Record<string, unknown> {
    if (method === 'apps.connections.open') {
      return token === this.socketMode.appToken
        ? { ok: true, url: this.socketMode.url }
        : { ok: false, error: 'invalid_auth' };
    }
    if (token !== this.botToken) return { ok: false, error: 'invalid_auth' };
    switch (method) {
      case 'auth.test':
        return { ok: true, team_id: this.teamId, user_id: 'UBOT', bot_id: 'BBOT', team: 'Fake', user: 'lstm-bot' };
      case 'users.info': {
        const user = this.users.get(String(args.user));
        return user
          ? { ok: true, user: { id: args.user, team_id: this.teamId, ...user } }
          : { ok: false, error: 'user_not_found' };
      }
      case 'chat.postMessage': {
        const ts = this.#post(String(args.channel), String(args.text), args.metadata);
        return { ok: true, channel: args.channel, ts, message: { text: args.text } };
      }
      case 'chat.update': {
        const message = this.messages.get(String(args.ts));
        if (!message || message.channel !== String(args.channel)) return { ok: false, error: 'message_not_found' };
        message.text = String(args.text);
        return { ok: true, channel: args.channel, ts: args.ts, text: args.text };
      }
      case 'chat.postEphemeral':
        return { ok: true, message_ts: `${Date.now() / 1000}` };
      case 'conversations.history':
        return this.#historyPage(args);
      default:
        return { ok: false, error: 'unknown_method' };
    }
  }

  /** Stores a message the bot posted (with its metadata, sent as an object or a JSON string); returns its ts. */
  #post(channel: string, text: string, metadata: unknown): string {
    // Slack's ts: seconds and microseconds, unique per channel.
    this.#lastTs = Math.max(this.#lastTs + 1, Date.now() * 1000);
    const ts = (this.#lastTs / 1e6).toFixed(6);
    const parsed = (typeof metadata === 'string' ? JSON.parse(metadata) : metadata) as FakeSlackMetadata | undefined;
    this.messages.set(ts, { channel, text, ...(parsed?.event_type ? { metadata: parsed } : {}) });
    return ts;
  }

  /** Waits while a test withholds the response to this call. */
  async #held(target: string): Promise<void> {
    const hold = this.#holds.find((h) => h.target === target);
    if (!hold) return;
    this.#holds.splice(this.#holds.indexOf(hold), 1);
    hold.received();
    await hold.release;
  }

  /** The channel's messages, newest first: those seeded in `history` and those the bot posted. */
  #timeline(channel: string, withMetadata: boolean): FakeSlackMessage[] | string {
    const seeded = this.history.get(channel);
    if (typeof seeded === 'string') return seeded;
    const posted = this.postedIn(channel).map(({ ts, text, metadata }) => ({
      ts,
      text,
      user: 'UBOT',
      bot_id: 'BBOT',
      ...(withMetadata && metadata ? { metadata } : {}),
    }));
    if (seeded === undefined && posted.length === 0) return 'channel_not_found';
    return [...(seeded ?? []), ...posted].sort((a, b) => Number(b.ts) - Number(a.ts));
  }

  #historyPage(args: Record<string, unknown>): Record<string, unknown> {
    const withMetadata = args.include_all_metadata === true || args.include_all_metadata === 'true';
    const messages = this.#timeline(String(args.channel), withMetadata);
    if (typeof messages === 'string') return { ok: false, error: messages };
    const latest = args.latest === undefined ? undefined : Number(args.latest);
    const oldest = args.oldest === undefined ? undefined : Number(args.oldest);
    const visible = messages.filter(
      (m) => (latest === undefined || Number(m.ts) < latest) && (oldest === undefined || Number(m.ts) > oldest),
    );
    const limit = Number(args.limit ?? 100);
    const offset = args.cursor
      ? Number(Buffer.from(String(args.cursor), 'base64url').toString().replace('offset:', ''))
      : 0;
    const page = visible.slice(offset, offset + limit);
    const hasMore = offset + limit < visible.length;
    const nextCursor = hasMore ? Buffer.from(`offset:${offset + limit}`).toString('base64url') : '';
    return { ok: true, messages: page, has_more: hasMore, response_metadata: { next_cursor: nextCursor } };
  }
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** WebClient sends form-encoded arguments (objects as JSON strings); response_url posts are JSON. */
function parseArgs(raw: string, contentType: string | undefined): Record<string, unknown> {
  if (raw === '') return {};
  if (contentType?.includes('application/json')) return JSON.parse(raw) as Record<string, unknown>;
  return Object.fromEntries(new URLSearchParams(raw));
}
