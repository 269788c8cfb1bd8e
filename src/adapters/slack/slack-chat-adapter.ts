import type { webApi } from '@slack/bolt';
import type { Redis } from 'ioredis';
import type { ChatAdapter, CommandEntry } from '../../commands/chat-adapter.js';
import type { ReplySender } from '../../commands/reply-address.js';
import type { Config } from '../../config/schema.js';
import type { Logger } from '../../ops/logger.js';
import { createSlackWebClient } from './create-slack-web-client.js';
import { ResponseUrlUses } from './response-url-uses.js';
import { SlackReplySender } from './slack-reply-sender.js';
import { slackSecrets, startSlack, type RunningSlack } from './start-slack.js';

export interface SlackChatAdapterOptions {
  config: Config;
  logger: Logger;
  /**
   * Where every bot process counts `response_url` uses and marks dead ones (a fail-fast connection,
   * `createFailFastRedis`; the caller closes it after the bot's reply delivery).
   */
  redis: Redis;
  /** Tests: `{ port: 0, host: '127.0.0.1' }`. */
  listen?: { port?: number; host?: string };
  /** Tests: `{ retries: 0 }`. */
  retryConfig?: webApi.RetryOptions;
  /** The clock that dates incoming commands (their `response_url` expiry); tests skew it. */
  now?: () => number;
}

/**
 * Slack as a `ChatAdapter` for the bot process: inbound slash commands go to the command handlers
 * (`startSlack`), and `sender` posts the answers workers queue on `replies-slack`. One
 * `SlackReplySender` serves both; `response_url` uses are counted in Redis, across bot processes. Missing secrets are a
 * `ConfigError` here, before anything starts.
 */
export class SlackChatAdapter implements ChatAdapter {
  readonly platform = 'slack' as const;
  readonly replyQueue = 'replies-slack';
  readonly sender: ReplySender;
  readonly #options: SlackChatAdapterOptions;
  #running: RunningSlack | undefined;

  constructor(options: SlackChatAdapterOptions) {
    const { config, logger, retryConfig, redis } = options;
    const { token } = slackSecrets(config);
    this.#options = options;
    this.sender = new SlackReplySender({
      client: createSlackWebClient({ token, apiUrl: config.SLACK_API_URL, logger, retryConfig }),
      logger,
      uses: new ResponseUrlUses(redis, config.QUEUE_PREFIX),
    });
  }

  /** The HTTP receiver's port once started (`undefined` in Socket Mode). */
  get port(): number | undefined {
    return this.#running?.port;
  }

  async start(commands: CommandEntry): Promise<void> {
    this.#running = await startSlack({ ...this.#options, commands, replySender: this.sender });
  }

  async stop(): Promise<void> {
    const running = this.#running;
    this.#running = undefined;
    await running?.stop();
  }
}
