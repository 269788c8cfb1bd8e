import { createMetrics } from '../ops/metrics.js';
import { startBot, type Bot } from './bot.js';
import { platformAdapters } from './platform-adapters.js';
import { onShutdown, startProcess } from './process-runtime.js';
import { resolveRedis } from './resolve-redis.js';
import { startProcessHealth } from './start-process-health.js';

/** `lstm-bot bot`: the platform adapters and reply delivery, without a worker (run those apart). */
export async function runBot(): Promise<void> {
  const runtime = startProcess('lstm-bot-bot');
  if (!runtime) return;
  const { config, logger } = runtime;
  const adapters = await platformAdapters(config, logger);
  if (adapters.length === 0) {
    console.error(
      'lstm-bot bot: no platform configured. Set DISCORD_TOKEN or SLACK_BOT_TOKEN, or use `lstm-bot start` for the console.',
    );
    process.exitCode = 1;
    return;
  }
  const { url } = await resolveRedis(config, logger, { allowPrivate: false });
  const metrics = createMetrics();
  const health = await startProcessHealth({ config, redisUrl: url, metrics, logger });
  // Filled in as each part starts; a signal before then stops what has started.
  const running: { bot?: Bot } = {};
  onShutdown(logger, async () => {
    await running.bot?.close();
    await health.close();
  });
  running.bot = await startBot({ config, redisUrl: url, adapters, logger, metrics });
}
