import { createMetrics } from '../ops/metrics.js';
import { startBot, type Bot } from './start-bot.js';
import { platformAdapters } from './platform-adapters.js';
import { onShutdown, startProcess } from './process-runtime.js';
import { resolveRedis } from './resolve-redis.js';
import { startProcessHealth } from './start-process-health.js';
import { createCommandRedis } from './command-redis.js';

/** `lstm-bot bot`: the platform adapters and reply delivery, without a worker (run those apart). */
export async function runBotProcess(): Promise<void> {
  const runtime = startProcess('lstm-bot-bot');
  if (!runtime) return;
  const { config, logger } = runtime;
  if (!config.DISCORD_TOKEN && !config.SLACK_BOT_TOKEN) {
    console.error(
      'lstm-bot bot: no platform configured. Set DISCORD_TOKEN or SLACK_BOT_TOKEN, or use `lstm-bot start` for the console.',
    );
    process.exitCode = 1;
    return;
  }
  const { url } = await resolveRedis(config, logger, { allowPrivate: false });
  // What bot processes share about reply addresses (Slack's response_url uses).
  const adapterRedis = createCommandRedis(url, config, logger, 'adapter Redis connection');
  const adapters = await platformAdapters(config, logger, adapterRedis);
  const metrics = createMetrics();
  const health = await startProcessHealth({ config, redisUrl: url, metrics, logger });
  // Filled in as each part starts; a signal before then stops what has started.
  const running: { bot?: Bot } = {};
  onShutdown(logger, async () => {
    await running.bot?.close();
    adapterRedis.disconnect();
    await health.close();
  });
  running.bot = await startBot({ config, redisUrl: url, adapters, logger, metrics });
}
