import { DiscordChatAdapter } from '../../../src/adapters/discord/discord-chat-adapter.js';
import type { BotConfig } from '../../../src/main/start-bot.js';
import {
  startTestBot,
  startTestWorker,
  type PipelineScope,
  type TestWorkerOptions,
} from '../../helpers/pipeline-harness.js';
import { TEST_REDIS_URL } from '../../helpers/redis-test-env.js';
import { capturingLogger, discordTestConfig } from './discord-test-config.js';
import { FakeDiscord } from './fake-discord.js';

/**
 * A fake Discord, the real Discord adapter logged in to it, a bot process with `botConfig` and a
 * generation worker, closed by the scope after the test; resolves once discord.js is READY.
 * `beforeLogin` shapes the fake first (channels discord.js must learn from GUILD_CREATE); `options.worker`
 * changes the worker (its generator, its context reader).
 */
export async function startDiscordPipeline(
  scope: PipelineScope,
  botConfig: Partial<BotConfig> = {},
  beforeLogin: (fake: FakeDiscord) => void = () => {},
  options: { messageContent?: boolean; random?: () => number; worker?: TestWorkerOptions } = {},
): Promise<FakeDiscord> {
  const fake = await FakeDiscord.start();
  scope.closers.push(() => fake.close());
  beforeLogin(fake);
  const config = { ...discordTestConfig(fake), DISCORD_MESSAGE_CONTENT: options.messageContent ?? false };
  const adapter = new DiscordChatAdapter({ config, logger: capturingLogger().logger });
  const bot = await startTestBot(TEST_REDIS_URL, scope.prefix, scope.modelsDir, [adapter], botConfig, options);
  scope.closers.push(() => bot.close());
  const started = await startTestWorker(TEST_REDIS_URL, scope.prefix, scope.modelsDir, options.worker);
  scope.closers.push(() => started.close(5_000));
  await fake.waitForReady();
  return fake;
}
