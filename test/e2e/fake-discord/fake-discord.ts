import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { messageJson, type FakeDiscordMessage } from './fake-discord-message.js';
import { guildCreateJson, interactionJson, readyJson } from './fake-discord-payloads.js';
import { messageCreateJson, type SendMessageOptions } from './fake-gateway-message.js';
import { snowflake } from './snowflake.js';

export interface RecordedRequest {
  method: string;
  /** Decoded path without the `/v10` prefix: `/webhooks/1/tok/messages/@original`. */
  path: string;
  query: URLSearchParams;
  authorization: string | undefined;
  body: unknown;
}

export interface FakeChannel {
  id: string;
  /** 0 text, 1 DM, 11 public thread. */
  type: number;
  parentId?: string;
  messages: FakeDiscordMessage[];
  /** Answer reads and writes with 403 Missing Access (50001), as Discord does without View Channel. */
  missingAccess?: boolean;
}

interface FakeInteraction {
  id: string;
  token: string;
  channelId: string;
  responded: boolean;
  ephemeral: boolean;
  expired: boolean;
  original?: FakeDiscordMessage;
}

interface Injection {
  method: string;
  path: RegExp;
  /** Let this many matching requests through first. */
  skip: number;
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

export interface SendInteractionOptions {
  name: string;
  /** Raw Discord options, e.g. `[{ name: 'prompt', type: 3, value: 'hi' }]`. */
  options?: unknown[];
  channelId?: string;
  userId?: string;
  /** The member's computed permissions in the channel, as Discord sends them (decimal string). */
  permissions?: bigint;
  /** The bot's own permissions in the channel (`app_permissions`). */
  appPermissions?: bigint;
  /** Send it from a DM with the bot (no guild, no member). */
  dm?: boolean;
  /** Make it a message command (e.g. "Continue this message") on a message with this text. */
  targetMessage?: { content: string; authorId?: string };
}

export interface FakeDiscordOptions {
  token?: string;
  heartbeatIntervalMs?: number;
  /** How long a channel message's nonce is enforced (Discord: "the past few minutes"). */
  nonceWindowMs?: number;
}

/** A response the fake withholds after doing the request's work (a crash test kills the caller meanwhile). */
interface Hold {
  method: string;
  path: RegExp;
  received: () => void;
  release: Promise<void>;
}

const PERMISSION_VIEW_CHANNEL = 1n << 10n;
const PERMISSION_SEND_MESSAGES = 1n << 11n;
const PERMISSION_USE_COMMANDS = 1n << 31n;
/** What a plain member has: view, send, read history, use commands. */
export const MEMBER_PERMISSIONS =
  PERMISSION_VIEW_CHANNEL | PERMISSION_SEND_MESSAGES | (1n << 16n) | PERMISSION_USE_COMMANDS;
export const MANAGE_CHANNELS = 1n << 4n;
export const MANAGE_GUILD = 1n << 5n;
export const ADMINISTRATOR = 1n << 3n;
export const READ_MESSAGE_HISTORY = 1n << 16n;

/**
 * A small Discord for tests: the REST routes the bot uses and a JSON gateway (Hello, Identify,
 * Ready, GUILD_CREATE, heartbeats, INTERACTION_CREATE, MESSAGE_CREATE with its intents) on one 127.0.0.1 port. It records every
 * REST request so tests can assert on what the bot really sent.
 */
export class FakeDiscord {
  readonly token: string;
  readonly applicationId = snowflake();
  readonly botUserId = this.applicationId;
  readonly guildId = snowflake();
  readonly channelId: string;
  readonly requests: RecordedRequest[] = [];
  readonly identifies: unknown[] = [];
  readonly resumes: unknown[] = [];
  heartbeats = 0;
  readonly channels = new Map<string, FakeChannel>();

  readonly #server: Server;
  readonly #wss = new WebSocketServer({ noServer: true });
  readonly #interactions = new Map<string, FakeInteraction>();
  readonly #injections: Injection[] = [];
  readonly #waiters: { match: (r: RecordedRequest) => boolean; resolve: (r: RecordedRequest) => void }[] = [];
  readonly #readyWaiters: (() => void)[] = [];
  readonly #heartbeatIntervalMs: number;
  readonly #nonceWindowMs: number;
  readonly #holds: Hold[] = [];
  #socket: WebSocket | undefined;
  #sequence = 0;
  #port = 0;

  private constructor(options: FakeDiscordOptions) {
    this.token = options.token ?? 'fake-bot-token.abc.def';
    this.#heartbeatIntervalMs = options.heartbeatIntervalMs ?? 41_250;
    this.#nonceWindowMs = options.nonceWindowMs ?? 5 * 60_000;
    this.channelId = this.addChannel({}).id;
    this.#server = createServer((req, res) => void this.#onRequest(req, res));
    this.#server.on('upgrade', (req, socket, head) => {
      this.#wss.handleUpgrade(req, socket, head, (ws) => this.#onGateway(ws));
    });
  }

  static async start(options: FakeDiscordOptions = {}): Promise<FakeDiscord> {
    const fake = new FakeDiscord(options);
    await new Promise<void>((resolve) => fake.#server.listen(0, '127.0.0.1', resolve));
    fake.#port = (fake.#server.address() as AddressInfo).port;
    return fake;
  }

  /** For discord.js `rest: { api }` and `DISCORD_API_URL`. */
  get apiUrl(): string {
    return `http://127.0.0.1:${this.#port}/api`;
  }

  get gatewayUrl(): string {
    return `ws://127.0.0.1:${this.#port}`;
  }

  addChannel(channel: Partial<FakeChannel>): FakeChannel {
    const created: FakeChannel = { id: snowflake(), type: 0, messages: [], ...channel };
    this.channels.set(created.id, created);
    return created;
  }

  /** Resolves once a bot identified and got READY (immediately if it already has). */
  waitForReady(): Promise<void> {
    return this.identifies.length > 0 ? Promise.resolve() : new Promise((resolve) => this.#readyWaiters.push(resolve));
  }

  /** Resolves with the first recorded request (past or future) that matches. */
  waitForRequest(match: (r: RecordedRequest) => boolean): Promise<RecordedRequest> {
    const seen = this.requests.find(match);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve) => this.#waiters.push({ match, resolve }));
  }

  requestsMatching(method: string, path: RegExp): RecordedRequest[] {
    return this.requests.filter((r) => r.method === method && path.test(r.path));
  }

  /** Answer a future request with this response once, after letting `skip` matching ones through. */
  injectOnce(
    method: string,
    path: RegExp,
    response: { status: number; headers?: Record<string, string>; body?: unknown },
    skip = 0,
  ): void {
    this.#injections.push({ method, path, skip, headers: {}, body: undefined, ...response });
  }

  /** A 429 exactly as Discord sends it: `Retry-After` seconds header, bucket headers, JSON body. */
  rateLimitOnce(method: string, path: RegExp, retryAfterS: number, skip = 0): void {
    this.injectOnce(
      method,
      path,
      {
        status: 429,
        headers: {
          'retry-after': String(retryAfterS),
          'x-ratelimit-limit': '5',
          'x-ratelimit-remaining': '0',
          'x-ratelimit-reset-after': String(retryAfterS),
          'x-ratelimit-bucket': 'fake-bucket',
          'x-ratelimit-scope': 'user',
        },
        body: { message: 'You are being rate limited.', retry_after: retryAfterS, global: false },
      },
      skip,
    );
  }

  /**
   * The next matching request is carried out (a message is created) but its response withheld until
   * `release` is called: `received` resolves once the work is done, the moment to kill the caller.
   */
  holdNextResponse(method: string, path: RegExp): { received: Promise<void>; release: () => void } {
    let received!: () => void;
    let release!: () => void;
    const done = new Promise<void>((resolve) => (received = resolve));
    const released = new Promise<void>((resolve) => (release = resolve));
    this.#holds.push({ method, path, received, release: released });
    return { received: done, release };
  }

  /** A reply address whose interaction token has expired: the answer must be a message in `channelId`. */
  expiredAddress(channelId = this.channelId) {
    return {
      platform: 'discord',
      applicationId: this.applicationId,
      interactionToken: `itoken-expired-${channelId}`,
      channelId,
      expiresAt: Date.now() - 1,
    } as const;
  }

  /** The interaction token stops working, as after Discord's 15 minutes. */
  expireInteraction(token: string): void {
    const interaction = this.#interactions.get(token);
    if (interaction) interaction.expired = true;
  }

  originalOf(token: string): FakeDiscordMessage | undefined {
    return this.#interactions.get(token)?.original;
  }

  /** Dispatches INTERACTION_CREATE for a slash command; returns its id and token. */
  sendInteraction(options: SendInteractionOptions): { id: string; token: string } {
    const id = snowflake();
    const token = `itoken-${id}`;
    const channelId = options.dm ? snowflake() : (options.channelId ?? this.channelId);
    const channel = this.channels.get(channelId);
    const userId = options.userId ?? snowflake();
    const user = {
      id: userId,
      username: `user${userId.slice(-4)}`,
      discriminator: '0',
      global_name: null,
      avatar: null,
    };
    this.#interactions.set(token, { id, token, channelId, responded: false, ephemeral: false, expired: false });
    const payload = interactionJson({
      id,
      token,
      applicationId: this.applicationId,
      guildId: options.dm ? undefined : this.guildId,
      channel: channel ?? { id: channelId, type: options.dm ? 1 : 0, messages: [] },
      user,
      name: options.name,
      options: options.options ?? [],
      permissions: options.permissions ?? MEMBER_PERMISSIONS,
      appPermissions: options.appPermissions ?? MEMBER_PERMISSIONS,
      ...(options.targetMessage ? { target: this.#targetMessage(channelId, options.targetMessage) } : {}),
    });
    this.#dispatch('INTERACTION_CREATE', payload);
    return { id, token };
  }

  #targetMessage(channelId: string, target: { content: string; authorId?: string }): FakeDiscordMessage {
    return { id: snowflake(), channelId, authorId: target.authorId ?? snowflake(), content: target.content };
  }

  /**
   * A member (or a bot) posts a message: stored in the channel, and dispatched as MESSAGE_CREATE when
   * the bot identified with the Guild Messages intent (`dispatched: false` otherwise).
   */
  sendMessage(options: SendMessageOptions): { id: string; dispatched: boolean } {
    const channelId = options.channelId ?? this.channelId;
    const message: FakeDiscordMessage = {
      id: snowflake(),
      channelId,
      authorId: options.authorId ?? snowflake(),
      content: options.content,
      timestampMs: Date.now(),
      ...(options.bot ? { bot: true } : {}),
    };
    this.channels.get(channelId)?.messages.push(message);
    const { intents = 0 } = (this.identifies.at(-1) ?? {}) as { intents?: number };
    const payload = messageCreateJson(message, options, { intents, botUserId: this.botUserId, guildId: this.guildId });
    if (payload) this.#dispatch('MESSAGE_CREATE', payload);
    return { id: message.id, dispatched: payload !== undefined };
  }

  async close(): Promise<void> {
    for (const client of this.#wss.clients) client.terminate();
    this.#wss.close();
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  // ---- gateway ----

  #onGateway(ws: WebSocket): void {
    this.#socket = ws;
    this.#send(ws, { op: 10, d: { heartbeat_interval: this.#heartbeatIntervalMs }, s: null, t: null });
    ws.on('message', (raw) => {
      const packet = JSON.parse(String(raw)) as { op: number; d: { token?: string } };
      if (packet.op === 1) {
        this.heartbeats += 1;
        this.#send(ws, { op: 11, d: null, s: null, t: null });
      } else if (packet.op === 2) {
        if (packet.d.token !== this.token) {
          ws.close(4004, 'Authentication failed.');
          return;
        }
        this.identifies.push(packet.d);
        this.#ready();
      } else if (packet.op === 6) {
        this.resumes.push(packet.d);
        this.#dispatch('RESUMED', {});
      }
    });
  }

  /** Asks the bot to reconnect (op 7), as Discord does before moving a session; it should resume. */
  requestReconnect(): Promise<void> {
    const resumed = this.resumes.length;
    if (this.#socket) this.#send(this.#socket, { op: 7, d: null, s: null, t: null });
    return new Promise((resolve) => {
      const check = () => (this.resumes.length > resumed ? resolve() : setTimeout(check, 10));
      check();
    });
  }

  #ready(): void {
    this.#dispatch('READY', readyJson(this.botUserId, this.applicationId, this.guildId, this.gatewayUrl));
    this.#dispatch('GUILD_CREATE', guildCreateJson(this.guildId, [...this.channels.values()]));
    for (const resolve of this.#readyWaiters.splice(0)) resolve();
  }

  #dispatch(t: string, d: unknown): void {
    if (!this.#socket) throw new Error('no bot is connected to the fake gateway');
    this.#sequence += 1;
    this.#send(this.#socket, { op: 0, t, s: this.#sequence, d });
  }

  #send(ws: WebSocket, packet: unknown): void {
    ws.send(JSON.stringify(packet));
  }

  // ---- REST ----

  async #onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    const path = decodeURIComponent(url.pathname.replace(/^\/api/, '').replace(/^\/v10/, ''));
    const request: RecordedRequest = {
      method: req.method ?? 'GET',
      path,
      query: url.searchParams,
      authorization: req.headers.authorization,
      body: text ? (JSON.parse(text) as unknown) : undefined,
    };
    this.requests.push(request);
    for (const waiter of [...this.#waiters]) {
      if (waiter.match(request)) {
        this.#waiters.splice(this.#waiters.indexOf(waiter), 1);
        waiter.resolve(request);
      }
    }

    const injection = this.#injections.find((i) => i.method === request.method && i.path.test(path));
    if (injection) {
      if (injection.skip > 0) injection.skip -= 1;
      else {
        this.#injections.splice(this.#injections.indexOf(injection), 1);
        return json(res, injection.status, injection.body, injection.headers);
      }
    }
    const { status, body } = this.#route(request);
    const hold = this.#holds.find((h) => h.method === request.method && h.path.test(path));
    if (hold) {
      this.#holds.splice(this.#holds.indexOf(hold), 1);
      hold.received();
      await hold.release;
    }
    if (status === 204) {
      // Discord sends 204 with no body and no content type; discord.js fails on anything else.
      res.writeHead(204);
      res.end();
      return;
    }
    json(res, status, body);
  }

  #route(r: RecordedRequest): { status: number; body?: unknown } {
    const parts = r.path.split('/').filter(Boolean);
    const [head, a, b, c, d] = parts;
    const authed = r.authorization === `Bot ${this.token}`;
    const unauthorized = { status: 401, body: { message: '401: Unauthorized', code: 0 } };

    if (r.method === 'GET' && r.path === '/gateway/bot') {
      if (!authed) return unauthorized;
      return {
        status: 200,
        body: {
          url: this.gatewayUrl,
          shards: 1,
          session_start_limit: { total: 1000, remaining: 999, reset_after: 86_400_000, max_concurrency: 1 },
        },
      };
    }
    if (head === 'interactions' && a && b && c === 'callback' && r.method === 'POST') {
      return this.#callback(b, r.body as { type: number; data?: { content?: string; flags?: number } });
    }
    if (head === 'webhooks' && a === this.applicationId && b) {
      return this.#webhook(r, b, c === 'messages' ? d : undefined);
    }
    if (head === 'channels' && a && b === 'messages') {
      if (!authed) return unauthorized;
      return c === undefined ? this.#channelMessages(r, a) : this.#channelMessage(r, a, c);
    }
    if (head === 'applications' && a === this.applicationId && r.method === 'PUT') {
      if (!authed) return unauthorized;
      const commands = (r.body as Record<string, unknown>[]).map((command) => ({
        ...command,
        id: snowflake(),
        application_id: this.applicationId,
        version: snowflake(),
        ...(b === 'guilds' ? { guild_id: c } : {}),
      }));
      return { status: 200, body: commands };
    }
    return { status: 404, body: { message: '404: Not Found', code: 0 } };
  }

  #callback(token: string, body: { type: number; data?: { content?: string; flags?: number } }) {
    const interaction = this.#interactions.get(token);
    if (!interaction || interaction.expired)
      return { status: 404, body: { message: 'Unknown interaction', code: 10062 } };
    if (interaction.responded) {
      return { status: 400, body: { message: 'Interaction has already been acknowledged.', code: 40060 } };
    }
    interaction.responded = true;
    interaction.ephemeral = ((body.data?.flags ?? 0) & 64) !== 0;
    interaction.original = {
      id: snowflake(),
      channelId: interaction.channelId,
      authorId: this.botUserId,
      bot: true,
      content: body.type === 4 ? (body.data?.content ?? '') : '',
      type: 20,
      flags: interaction.ephemeral ? 64 : 0,
    };
    return { status: 204 };
  }

  #webhook(r: RecordedRequest, token: string, messageId: string | undefined) {
    const interaction = this.#interactions.get(token);
    if (!interaction) return { status: 404, body: { message: 'Unknown Webhook', code: 10015 } };
    if (interaction.expired) return { status: 401, body: { message: 'Invalid Webhook Token', code: 50027 } };
    const content = (r.body as { content?: string } | undefined)?.content ?? '';
    if (messageId === undefined && r.method === 'POST') {
      const flags = (r.body as { flags?: number }).flags ?? 0;
      const followup: FakeDiscordMessage = {
        id: snowflake(),
        channelId: interaction.channelId,
        authorId: this.botUserId,
        bot: true,
        content,
        flags,
      };
      return { status: 200, body: messageJson(followup, this.guildId) };
    }
    const original = interaction.original;
    if (messageId !== '@original' || !original)
      return { status: 404, body: { message: 'Unknown Message', code: 10008 } };
    if (r.method === 'GET') return { status: 200, body: messageJson(original, this.guildId) };
    if (r.method === 'DELETE') {
      delete interaction.original;
      return { status: 204 };
    }
    if (r.method === 'PATCH') {
      original.content = content;
      return { status: 200, body: messageJson(original, this.guildId) };
    }
    return { status: 405, body: { message: '405: Method Not Allowed', code: 0 } };
  }

  #channelMessage(r: RecordedRequest, channelId: string, messageId: string) {
    const message = this.channels.get(channelId)?.messages.find((m) => m.id === messageId);
    if (!message) return { status: 404, body: { message: 'Unknown Message', code: 10008 } };
    if (r.method !== 'PATCH') return { status: 405, body: { message: '405: Method Not Allowed', code: 0 } };
    message.content = (r.body as { content?: string }).content ?? message.content;
    return { status: 200, body: messageJson(message, this.guildId) };
  }

  #channelMessages(r: RecordedRequest, channelId: string) {
    const channel = this.channels.get(channelId);
    if (!channel) return { status: 404, body: { message: 'Unknown Channel', code: 10003 } };
    if (channel.missingAccess) return { status: 403, body: { message: 'Missing Access', code: 50001 } };
    if (r.method === 'POST') {
      const { content, nonce, enforce_nonce } = r.body as {
        content?: string;
        nonce?: unknown;
        enforce_nonce?: boolean;
      };
      const nonceText = typeof nonce === 'string' || typeof nonce === 'number' ? String(nonce) : undefined;
      if (nonceText !== undefined && enforce_nonce === true) {
        // Discord: a nonce reused by the same author within a few minutes returns that message.
        const since = Date.now() - this.#nonceWindowMs;
        const earlier = channel.messages.find(
          (m) => m.nonce === nonceText && m.authorId === this.botUserId && (m.timestampMs ?? 0) >= since,
        );
        if (earlier) return { status: 200, body: { ...messageJson(earlier, this.guildId), nonce: nonceText } };
      }
      const message: FakeDiscordMessage = {
        id: snowflake(),
        channelId,
        authorId: this.botUserId,
        bot: true,
        content: content ?? '',
        timestampMs: Date.now(),
        ...(nonceText === undefined ? {} : { nonce: nonceText }),
      };
      channel.messages.push(message);
      return {
        status: 200,
        body: { ...messageJson(message, this.guildId), ...(nonceText ? { nonce: nonceText } : {}) },
      };
    }
    const limit = Math.min(Number(r.query.get('limit') ?? 50), 100);
    const before = r.query.get('before');
    const older = channel.messages.filter((m) => before === null || BigInt(m.id) < BigInt(before));
    const page = older
      .sort((x, y) => (BigInt(y.id) > BigInt(x.id) ? 1 : -1))
      .slice(0, limit)
      .map((m) => messageJson(m, this.guildId));
    return { status: 200, body: page };
  }
}

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body ?? null));
}
