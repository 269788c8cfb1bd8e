import { App, webApi } from '@slack/bolt';
import type { ReplySender } from '../../commands/reply-address.js';
import { ConfigError, type ConfigProblem } from '../../config/config-error.js';
import type { Config } from '../../config/schema.js';
import type { Logger } from '../../ops/logger.js';
import { boltLogger } from './bolt-logger.js';
import type { CommandEntry } from '../../commands/chat-adapter.js';
import { MAX_CODE_UNITS_PER_PROMPT_CHAR } from '../../commands/prompt-chars.js';
import { slackClientOptions } from './create-slack-web-client.js';
import { handleAppMention } from './handle-app-mention.js';
import { handleMessageEvent } from './handle-message-event.js';
import { handleMessageShortcut } from './handle-message-shortcut.js';
import { handleSlashCommand } from './handle-slash-command.js';
import { slackCommandNames, type SlackCommandKind } from './slack-command-names.js';
import { SlackHttpReceiver } from './slack-http-receiver.js';
import { SlackRights } from './slack-rights.js';
import { CodedError } from '../../errors/coded-error.js';

export interface StartSlackDeps {
  config: Config;
  logger: Logger;
  /** The command handlers (`CommandHandlers`). */
  commands: CommandEntry;
  /** Where the HTTP receiver listens; default `SLACK_PORT` on every interface. Tests: `{ port: 0, host: '127.0.0.1' }`. */
  listen?: { port?: number; host?: string };
  /** Web API retries; tests pass `{ retries: 0 }`. */
  retryConfig?: webApi.RetryOptions;
  /** Posts immediate answers (a `SlackReplySender`); share one with reply delivery. */
  replySender: ReplySender;
  now?: () => number;
}

export interface RunningSlack {
  /** The HTTP receiver's port (`undefined` in Socket Mode). */
  port: number | undefined;
  /** Posts answers (the given `replySender`). */
  replySender: ReplySender;
  stop(): Promise<void>;
}

/**
 * Starts the Slack adapter: a Bolt app answering the configured slash commands, `app_mention` events
 * and the "Continue this message" message shortcut, and handing channel `message` events to the
 * message seam (live learning, chatter), over HTTP
 * (`SlackHttpReceiver`: a small body limit, Slack's signature and a timestamp within 5 minutes either
 * way, checked before the body is parsed) or, with `SLACK_SOCKET_MODE`, over a Socket Mode connection. Checks the bot token with
 * `auth.test` first and fails with `SLACK_AUTH_FAILED` (token refused) or `SLACK_UNREACHABLE` instead of crashing
 * the process.
 */
export async function startSlack(options: StartSlackDeps): Promise<RunningSlack> {
  const { config, logger, commands, listen, retryConfig, now } = options;
  const { token, signingSecret, appToken } = slackSecrets(config);
  const slackLogger = boltLogger(logger);
  const receiver = config.SLACK_SOCKET_MODE
    ? undefined
    : new SlackHttpReceiver({
        signingSecret: signingSecret ?? '',
        logger: slackLogger,
        bodyLimitBytes: slackBodyLimitBytes(config.MAX_PROMPT_CHARS),
        // Signatures are dated by the real clock; `now` only ages commands (their response_url).
      });
  const app = new App({
    token,
    ...(receiver ? { receiver } : { socketMode: true, appToken }),
    logger: slackLogger,
    clientOptions: slackClientOptions({ apiUrl: config.SLACK_API_URL, logger, retryConfig }),
    deferInitialization: true,
    convoStore: false,
  });
  try {
    await app.init();
  } catch (error) {
    throw authTestError(error);
  }
  app.error(async (error) => {
    logger.error({ err: error, platform: 'slack' }, 'Bolt listener error');
  });

  const rights = new SlackRights({ client: app.client, adminUsers: config.SLACK_ADMIN_USERS, logger, now });
  const replySender = options.replySender;
  const handlerDeps = { commands, rights, replySender, logger, now };
  for (const [kind, name] of Object.entries(slackCommandNames(config)) as [SlackCommandKind, string][]) {
    app.command(name, async ({ body, ack, context }) =>
      handleSlashCommand(kind, body, ack, handlerDeps, stringOrUndefined(context.slackRequestId)),
    );
  }

  app.event('app_mention', async ({ body, context }) =>
    handleAppMention(body, stringOrUndefined(context.botUserId), handlerDeps),
  );
  app.event('message', async ({ body, context }) =>
    handleMessageEvent(body, stringOrUndefined(context.botUserId), handlerDeps),
  );
  app.shortcut(
    { type: 'message_action', callback_id: config.SLACK_SHORTCUT_CONTINUE_MESSAGE },
    async ({ body, ack, context }) =>
      handleMessageShortcut(body, ack, stringOrUndefined(context.botUserId), handlerDeps),
  );

  // `App#start` hands its arguments to the receiver.
  if (receiver) await receiver.start({ port: listen?.port ?? config.SLACK_PORT, host: listen?.host });
  else await app.start();
  const port = receiver?.port;
  logger.info({ platform: 'slack', mode: config.SLACK_SOCKET_MODE ? 'socket' : 'http', port }, 'Slack adapter started');
  return { port, replySender, stop: () => app.stop() as Promise<void> };
}

/**
 * The largest request body the HTTP receiver reads: room for the longest prompt allowed, each of its
 * characters (as users see them) up to `MAX_CODE_UNITS_PER_PROMPT_CHAR` UTF-16 code units, each
 * percent-encoded from 3 UTF-8 bytes (9 bytes), twice (a message shortcut's payload carries the
 * message's text and its blocks), plus 16 KiB for the other fields.
 */
export function slackBodyLimitBytes(maxPromptChars: number): number {
  return 2 * 9 * MAX_CODE_UNITS_PER_PROMPT_CHAR * maxPromptChars + 16_384;
}

/**
 * Why `auth.test` failed: Slack's own answer (`invalid_auth`, `not_authed`, ...) judged the token
 * (`SLACK_AUTH_FAILED`); anything else (a refused connection, a timeout, an HTTP error) means Slack was
 * not reached and never judged it (`SLACK_UNREACHABLE`).
 * @see https://api.slack.com/methods/auth.test
 */
function authTestError(error: unknown): CodedError {
  if (error instanceof webApi.WebAPIPlatformError)
    return new CodedError('SLACK_AUTH_FAILED', `Slack did not accept the bot token (auth.test: ${error.data.error})`, {
      cause: error,
    });
  const cause = error instanceof webApi.WebAPIRequestError ? error.original : error;
  return new CodedError('SLACK_UNREACHABLE', `Could not reach Slack (auth.test: ${networkReason(cause)})`, {
    cause: error,
  });
}

/** `fetch failed` says little: the underlying `connect ECONNREFUSED 127.0.0.1:1` says what happened. */
function networkReason(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  return error.cause instanceof Error ? `${error.message}: ${error.cause.message}` : error.message;
}

function stringOrUndefined(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** The secrets the adapter needs, or a `ConfigError` naming each missing one. */
export function slackSecrets(config: Config): { token: string; signingSecret?: string; appToken?: string } {
  const problems: ConfigProblem[] = [];
  const missing = (key: string, why: string) =>
    problems.push({ key, expected: `must be set ${why}`, received: 'nothing' });
  if (!config.SLACK_BOT_TOKEN) missing('SLACK_BOT_TOKEN', 'to run on Slack (xoxb-...)');
  if (config.SLACK_SOCKET_MODE && !config.SLACK_APP_TOKEN)
    missing('SLACK_APP_TOKEN', 'when SLACK_SOCKET_MODE is on (xapp-...)');
  if (!config.SLACK_SOCKET_MODE && !config.SLACK_SIGNING_SECRET)
    missing('SLACK_SIGNING_SECRET', 'for the HTTP receiver');
  if (problems.length > 0 || !config.SLACK_BOT_TOKEN) throw new ConfigError(problems);
  return {
    token: config.SLACK_BOT_TOKEN.reveal(),
    signingSecret: config.SLACK_SIGNING_SECRET?.reveal(),
    appToken: config.SLACK_APP_TOKEN?.reveal(),
  };
}
