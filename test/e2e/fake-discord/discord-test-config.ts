import { DiscordChatAdapter, type DiscordAdapterConfig } from '../../../src/adapters/discord/discord-chat-adapter.js';
import type { CommandEntry } from '../../../src/commands/chat-adapter.js';
import { Writable } from 'node:stream';
import { Secret } from '../../../src/config/secret.js';
import { createLogger, type Logger } from '../../../src/ops/logger.js';
import type { FakeDiscord } from './fake-discord.js';

/** The config keys the Discord adapter reads, pointed at a fake. */
export function discordTestConfig(fake: FakeDiscord) {
  return {
    DISCORD_TOKEN: new Secret(fake.token),
    DISCORD_API_URL: fake.apiUrl,
    DISCORD_APPLICATION_ID: fake.applicationId,
    DEFAULT_TEMPERATURE: 0.8,
    DEFAULT_WORDS: 40,
    MIN_WORDS: 8,
    MAX_PROMPT_CHARS: 1_000,
    MAX_WORDS: 200,
    RETRAIN_MAX_MESSAGES: 50_000,
  };
}

/** A trace-level logger that keeps its lines, and masks nothing: a test can look for leaked secrets. */
export function capturingLogger(): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString('utf8'));
      done();
    },
  });
  return { logger: createLogger({ level: 'trace', format: 'json', destination }), lines };
}

/** A logged-in Discord adapter on the fake, handing commands to `commands`. */
export async function startDiscordAdapter(
  fake: FakeDiscord,
  commands: CommandEntry,
  logger: Logger = capturingLogger().logger,
  config: DiscordAdapterConfig = discordTestConfig(fake),
): Promise<DiscordChatAdapter> {
  const adapter = new DiscordChatAdapter({ config, logger });
  await adapter.start(commands);
  return adapter;
}
