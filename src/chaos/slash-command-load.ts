import { createHmac } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';

/** One `/continue` of the load: its prompt is unique, and so are its user and `response_url`. */
export interface ChaosRequest {
  index: number;
  prompt: string;
  userId: string;
  channelId: string;
  responseId: string;
}

/** What the receiver answered: `status` 200 is an accepted request. */
export interface ChaosAck {
  request: ChaosRequest;
  /** `performance.now()` when the request was sent. */
  sentAtMs: number;
  ackMs: number;
  status?: number;
  /** Why no HTTP answer came (connection refused or reset, timeout). */
  error?: string;
  /** The text of an acknowledgement that carried a message (Bolt's `ack({ text })`). */
  text?: string;
}

export interface SlashCommandLoadOptions {
  /** The receiver, e.g. `http://127.0.0.1:PORT/slack/events`. */
  url: string;
  signingSecret: string;
  teamId: string;
  requests: readonly ChaosRequest[];
  responseUrl: (id: string) => string;
  /** Most requests in flight at once. */
  concurrency: number;
  /** Request i is sent no earlier than `i * durationMs / requests` after the start. */
  durationMs: number;
  /** A request with no answer after this long counts as not accepted. */
  ackTimeoutMs: number;
}

/** Slack's request signature: `v0=` + HMAC-SHA256 of `v0:<timestamp>:<raw body>` with the signing secret. */
export function slackRequestSignature(signingSecret: string, timestampSec: number, body: string): string {
  return `v0=${createHmac('sha256', signingSecret).update(`v0:${timestampSec}:${body}`).digest('hex')}`;
}

/**
 * Sends the requests as Slack sends slash commands (form-encoded, signed, each with its own
 * `trigger_id` and `response_url`), spread evenly over `durationMs` so the load goes on through a
 * kill and a restart, with at most `concurrency` in flight. Resolves with every answer, in order.
 */
export async function driveSlashCommands(options: SlashCommandLoadOptions): Promise<ChaosAck[]> {
  const { requests, concurrency, durationMs } = options;
  const acks: ChaosAck[] = new Array<ChaosAck>(requests.length);
  const startedMs = performance.now();
  let next = 0;
  const client = async () => {
    while (next < requests.length) {
      const request = requests[next]!;
      next += 1;
      const dueMs = startedMs + (request.index * durationMs) / requests.length;
      const waitMs = dueMs - performance.now();
      if (waitMs > 0) await sleep(waitMs);
      acks[request.index] = await sendSlashCommand(options, request);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, requests.length) }, client));
  return acks;
}

async function sendSlashCommand(options: SlashCommandLoadOptions, request: ChaosRequest): Promise<ChaosAck> {
  const timestampSec = Math.floor(Date.now() / 1000);
  const body = new URLSearchParams({
    token: 'chaos-legacy-token',
    team_id: options.teamId,
    team_domain: 'chaos',
    channel_id: request.channelId,
    channel_name: request.channelId.toLowerCase(),
    user_id: request.userId,
    user_name: request.userId.toLowerCase(),
    command: '/continue',
    text: request.prompt,
    api_app_id: 'ACHAOS',
    is_enterprise_install: 'false',
    response_url: options.responseUrl(request.responseId),
    trigger_id: `${request.index}.${timestampSec}.${request.responseId}`,
  }).toString();
  const sentAtMs = performance.now();
  try {
    const response = await fetch(options.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-slack-request-timestamp': String(timestampSec),
        'x-slack-signature': slackRequestSignature(options.signingSecret, timestampSec, body),
      },
      body,
      signal: AbortSignal.timeout(options.ackTimeoutMs),
    });
    const answer = await response.text();
    const ack: ChaosAck = { request, sentAtMs, ackMs: performance.now() - sentAtMs, status: response.status };
    const text = ackText(answer);
    if (text !== undefined) ack.text = text;
    return ack;
  } catch (error) {
    return { request, sentAtMs, ackMs: performance.now() - sentAtMs, error: describeFetchError(error) };
  }
}

/** The `text` of a JSON acknowledgement, or the plain text one, if any. */
function ackText(body: string): string | undefined {
  if (body.trim() === '') return undefined;
  try {
    const parsed = JSON.parse(body) as { text?: unknown };
    return typeof parsed.text === 'string' ? parsed.text : undefined;
  } catch {
    return body;
  }
}

/** `ECONNREFUSED`, `ECONNRESET`, `TimeoutError`, ...: undici puts the system error in `cause`. */
function describeFetchError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause as { code?: unknown } | undefined;
  if (typeof cause?.code === 'string') return cause.code;
  return error.name === 'Error' ? error.message : error.name;
}
