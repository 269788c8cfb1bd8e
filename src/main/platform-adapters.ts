import { DiscordChatAdapter } from '../adapters/discord/discord-chat-adapter.js';
import { SlackChatAdapter } from '../adapters/slack/slack-chat-adapter.js';
import type { ChatAdapter } from '../commands/chat-adapter.js';
import type { Config } from '../config/schema.js';
import type { Logger } from '../ops/logger.js';
import type { Redis } from 'ioredis';

/**
 * The platform adapters to run, from the config; empty when no platform token is set (then `start`
 * opens the console). The seam for the Discord and Slack adapters: each returns a `ChatAdapter`
 * (inbound commands to `handleCommand`, outbound `ReplySender` on its `replies-<platform>` queue).
 * `redis` (fail-fast, `createFailFastRedis`) holds what bot processes share about reply addresses;
 * the caller closes it once the bot is closed.
 */
export async function platformAdapters(config: Config, logger: Logger, redis: Redis): Promise<ChatAdapter[]> {
  const adapters: ChatAdapter[] = [];
  if (config.DISCORD_TOKEN) {
    adapters.push(new DiscordChatAdapter({ config, logger }));
  }
  if (config.SLACK_BOT_TOKEN) adapters.push(new SlackChatAdapter({ config, logger, redis }));
  logger.debug({ adapters: adapters.map((a) => a.platform) }, 'platform adapters');
  return adapters;
}
