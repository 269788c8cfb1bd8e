import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  HTTPModuleFunctions as http,
  HTTPResponseAck,
  type App,
  type Logger as BoltLogger,
  type Receiver,
} from '@slack/bolt';
import { slackRequestProblem } from './verify-slack-request.js';

export interface SlackHttpReceiverOptions {
  signingSecret: string;
  logger: BoltLogger;
  /** Larger bodies are refused with 413 before they are read (a slash command is a few hundred bytes). */
  bodyLimitBytes: number;
  /** The one path Slack posts to. */
  path?: string;
  now?: () => number;
}

/** Longest a client may take to send one request, headers and body (Slack sends it at once). */
const REQUEST_TIMEOUT_MS = 10_000;

/**
 * Bolt's HTTP receiver, stricter: `POST /slack/events` only; a declared or actual body over
 * `bodyLimitBytes` is refused with 413 before it is read or parsed; the signature and a timestamp
 * within 5 minutes either way are checked before the body is parsed (401 otherwise); only slash
 * commands, Events API `event_callback`s and message shortcuts (`message_action`) are taken (400 otherwise, at once instead of Bolt's
 * 3-second timeout), and the Events API's `url_verification` challenge is answered. What passes goes
 * to `app.processEvent` with Bolt's own acknowledgement, and carries `slackRequestId` (its signature)
 * in the listener's context, so that a replayed request can be recognised.
 * Built from Bolt's exported parts (`HTTPModuleFunctions`, `HTTPResponseAck`), as Bolt's own
 * receivers are.
 */
export class SlackHttpReceiver implements Receiver {
  readonly #o: SlackHttpReceiverOptions & { path: string; now: () => number };
  #app: App | undefined;
  #server: Server | undefined;

  constructor(options: SlackHttpReceiverOptions) {
    this.#o = { ...options, path: options.path ?? '/slack/events', now: options.now ?? Date.now };
  }

  init(app: App): void {
    this.#app = app;
  }

  start({ port, host }: { port: number; host?: string }): Promise<Server> {
    const server = createServer((req, res) => {
      this.#handle(req, res).catch((error: unknown) => {
        this.#o.logger.error(`Slack request failed: ${(error as Error)?.message ?? String(error)}`);
        if (!res.headersSent) res.writeHead(500, { connection: 'close' }).end();
      });
    });
    server.requestTimeout = REQUEST_TIMEOUT_MS;
    server.headersTimeout = REQUEST_TIMEOUT_MS;
    this.#server = server;
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => resolve(server));
    });
  }

  get port(): number | undefined {
    return (this.#server?.address() as AddressInfo | null)?.port;
  }

  async stop(): Promise<void> {
    const server = this.#server;
    this.#server = undefined;
    if (!server) return;
    server.closeIdleConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const log = this.#o.logger;
    const refuse = (status: number, why: string): void => {
      log.warn(`Slack request refused (${status}): ${why}`);
      res.writeHead(status, { connection: 'close' }).end();
    };
    if (req.method !== 'POST' || new URL(req.url ?? '/', 'http://localhost').pathname !== this.#o.path) {
      return void res.writeHead(404, { connection: 'close' }).end();
    }
    if (Number(req.headers['content-length'] ?? 0) > this.#o.bodyLimitBytes) {
      return refuse(413, `declared body of ${req.headers['content-length']} bytes`);
    }
    let buffered: Awaited<ReturnType<typeof http.bufferIncomingMessage>>;
    try {
      buffered = await http.bufferIncomingMessage(req, this.#o.bodyLimitBytes);
    } catch (error) {
      return http.isRawBodyError(error) && error.statusCode === 413
        ? refuse(413, `body over ${this.#o.bodyLimitBytes} bytes`)
        : refuse(400, `unreadable body: ${(error as Error).message}`);
    }
    const text = buffered.rawBody.toString('utf8');
    if (text === 'ssl_check=1' || text.startsWith('ssl_check=1&')) return void res.writeHead(200).end();
    const problem = slackRequestProblem({
      signingSecret: this.#o.signingSecret,
      headers: req.headers,
      body: text,
      nowMs: this.#o.now(),
    });
    if (problem) return refuse(401, problem);
    let body: Record<string, unknown>;
    try {
      body = http.parseHTTPRequestBody(buffered) as Record<string, unknown>;
    } catch (error) {
      return refuse(400, `malformed body: ${(error as Error).message}`);
    }
    if (body.type === 'url_verification') return http.buildUrlVerificationResponse(res, body);
    const taken = body.type === 'event_callback' || body.type === 'message_action';
    if (!taken && typeof body.command !== 'string') {
      return refuse(400, 'neither a slash command (exactly one `command` field), an event nor a message shortcut');
    }
    await this.#dispatch(buffered, res, body, String(req.headers['x-slack-signature']));
  }

  async #dispatch(
    req: IncomingMessage,
    res: ServerResponse,
    body: Record<string, unknown>,
    signature: string,
  ): Promise<void> {
    const logger = this.#o.logger;
    const ack = new HTTPResponseAck({
      logger,
      processBeforeResponse: false,
      httpRequest: req,
      httpRequestBody: body,
      httpResponse: res,
    });
    try {
      await this.#app?.processEvent({ body, ack: ack.bind(), customProperties: { slackRequestId: signature } });
      if (ack.storedResponse !== undefined) http.buildContentResponse(res, ack.storedResponse);
    } catch (error) {
      const acked = await http.defaultProcessEventErrorHandler({
        error: error as Error,
        logger,
        request: req,
        response: res,
        storedResponse: ack.storedResponse,
      });
      if (acked) ack.ack();
    }
  }
}
