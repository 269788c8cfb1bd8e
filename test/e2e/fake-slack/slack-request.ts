import { createHmac } from 'node:crypto';

/** Slack's request signature: `v0=` + HMAC-SHA256 of `v0:<timestamp>:<raw body>` with the signing secret. */
export function slackSignature(signingSecret: string, timestampSec: number, body: string): string {
  return `v0=${createHmac('sha256', signingSecret).update(`v0:${timestampSec}:${body}`).digest('hex')}`;
}

export interface SlashCommandFields {
  command: string;
  text: string;
  user_id: string;
  channel_id: string;
  team_id: string;
  response_url: string;
}

export interface PostSlashCommandOptions {
  signingSecret: string;
  /** Seconds since the epoch; now by default. */
  timestampSec?: number;
  /** Overrides the computed signature (to send a wrong one). */
  signature?: string;
}

/** The form Slack posts for a slash command: the fields the bot reads and the ones it does not. */
export function slashCommandForm(fields: Partial<SlashCommandFields>): URLSearchParams {
  return new URLSearchParams({
    token: 'legacy-verification-token',
    team_domain: 'fake',
    channel_name: 'general',
    user_name: 'someone',
    api_app_id: 'AFAKE',
    trigger_id: '1.2.3',
    ...fields,
  });
}

/** POSTs a slash command the way Slack does: form-encoded, signed, with the request timestamp. */
export async function postSlashCommand(
  url: string,
  fields: SlashCommandFields,
  options: PostSlashCommandOptions,
): Promise<{ status: number; body: string }> {
  return postSigned(url, slashCommandForm(fields).toString(), options);
}

/** POSTs any body signed like Slack (`content-type` form-encoded unless given). */
export async function postSigned(
  url: string,
  body: string,
  {
    signingSecret,
    timestampSec = Math.floor(Date.now() / 1000),
    signature,
    headers = {},
  }: PostSlashCommandOptions & { headers?: Record<string, string> },
): Promise<{ status: number; body: string }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-slack-request-timestamp': String(timestampSec),
      'x-slack-signature': signature ?? slackSignature(signingSecret, timestampSec, body),
      ...headers,
    },
    body,
  });
  return { status: response.status, body: await response.text() };
}

let eventCount = 0;

interface ChannelEventFields {
  team: string;
  channel: string;
  user: string;
  text: string;
  threadTs?: string;
  botId?: string;
}

/** An Events API `event_callback` carrying an `app_mention` of the fake's bot (`UBOT`), as Slack posts it. */
export function appMentionEvent(fields: ChannelEventFields): { event_id: string; body: string } {
  return channelEvent({ type: 'app_mention' }, fields);
}

/**
 * An Events API `event_callback` carrying a `message` of a public channel (`message.channels`), as
 * Slack posts it; `subtype` makes it another kind (`message_changed`, `channel_join`, ...).
 */
export function messageEvent(fields: ChannelEventFields & { subtype?: string }): { event_id: string; body: string } {
  const { subtype, ...rest } = fields;
  return channelEvent({ type: 'message', channel_type: 'channel', ...(subtype ? { subtype } : {}) }, rest);
}

function channelEvent(kind: Record<string, string>, fields: ChannelEventFields): { event_id: string; body: string } {
  eventCount += 1;
  const eventId = `Ev${Date.now()}${eventCount}`;
  const ts = `${Math.floor(Date.now() / 1000)}.${String(eventCount).padStart(6, '0')}`;
  const event = {
    ...kind,
    user: fields.user,
    text: fields.text,
    ts,
    channel: fields.channel,
    event_ts: ts,
    ...(fields.threadTs ? { thread_ts: fields.threadTs } : {}),
    ...(fields.botId ? { bot_id: fields.botId } : {}),
  };
  const body = {
    token: 'legacy-verification-token',
    team_id: fields.team,
    api_app_id: 'AFAKE',
    event,
    type: 'event_callback',
    event_id: eventId,
    event_time: Math.floor(Date.now() / 1000),
    authorizations: [{ team_id: fields.team, user_id: 'UBOT', is_bot: true }],
  };
  return { event_id: eventId, body: JSON.stringify(body) };
}

/** POSTs a JSON Events API body signed like Slack; `retryNum` sends it as Slack's retry of it. */
export function postEvent(
  url: string,
  body: string,
  options: PostSlashCommandOptions & { retryNum?: number },
): Promise<{ status: number; body: string }> {
  const retry: Record<string, string> =
    options.retryNum === undefined
      ? {}
      : { 'x-slack-retry-num': String(options.retryNum), 'x-slack-retry-reason': 'http_timeout' };
  return postSigned(url, body, { ...options, headers: { 'content-type': 'application/json', ...retry } });
}

let shortcutCount = 0;

/**
 * The form Slack posts for a message shortcut (`type: message_action`): one field, `payload`, its JSON
 * with the chosen message (text and blocks, `thread_ts` when it is in a thread).
 */
export function messageShortcutForm(fields: {
  team: string;
  channel: string;
  user: string;
  text?: string;
  threadTs?: string;
  callbackId?: string;
}): { trigger_id: string; body: string } {
  shortcutCount += 1;
  const triggerId = `${Date.now()}.${shortcutCount}.fake`;
  const ts = `${Math.floor(Date.now() / 1000)}.${String(shortcutCount).padStart(6, '0')}`;
  const payload = {
    type: 'message_action',
    token: 'legacy-verification-token',
    action_ts: `${ts}1`,
    team: { id: fields.team, domain: 'fake' },
    user: { id: fields.user, username: 'someone', team_id: fields.team, name: 'someone' },
    channel: { id: fields.channel, name: 'general' },
    is_enterprise_install: false,
    enterprise: null,
    callback_id: fields.callbackId ?? 'continue_message',
    trigger_id: triggerId,
    response_url: `https://hooks.slack.invalid/app/T/${shortcutCount}/x`,
    message_ts: ts,
    message: {
      type: 'message',
      user: 'UAUTHOR',
      ts,
      ...(fields.text === undefined ? { files: [{ id: 'F1' }] } : { text: fields.text }),
      ...(fields.threadTs ? { thread_ts: fields.threadTs } : {}),
      // Slack repeats the text in its blocks.
      blocks:
        fields.text === undefined ? [] : [{ type: 'rich_text', block_id: 'b', elements: [richText(fields.text)] }],
    },
  };
  return { trigger_id: triggerId, body: new URLSearchParams({ payload: JSON.stringify(payload) }).toString() };
}

function richText(text: string) {
  return { type: 'rich_text_section', elements: [{ type: 'text', text }] };
}
