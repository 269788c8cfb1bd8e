import { ConfigError } from '../config/config-error.js';
import { loadConfig } from '../config/load-config.js';
import type { Config } from '../config/schema.js';
import { createLogger, type Logger } from '../ops/logger.js';

/** What every long-running process starts with: config parsed once, one logger. */
export interface ProcessRuntime {
  config: Config;
  logger: Logger;
}

/** Loads config and the logger; on bad config prints every problem and sets exit code 2 (no stack trace). */
export function startProcess(name: string, { quiet = false }: { quiet?: boolean } = {}): ProcessRuntime | undefined {
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exitCode = 2;
      return undefined;
    }
    throw error;
  }
  const logger = createLogger({
    // An interactive console keeps the terminal for the conversation unless LOG_LEVEL asks for more.
    level: quiet && !process.env.LOG_LEVEL ? 'warn' : config.LOG_LEVEL,
    format: config.LOG_FORMAT,
    secrets: [config.DISCORD_TOKEN, config.SLACK_BOT_TOKEN, config.SLACK_SIGNING_SECRET, config.SLACK_APP_TOKEN],
    name,
  });
  return { config, logger };
}

/**
 * Runs `close` once on SIGTERM, SIGHUP or SIGINT (a second SIGINT exits at once), then exits with `exitCode`.
 * Returns a function that triggers the same shutdown from inside (e.g. when the console ends).
 */
export function onShutdown(logger: Logger, close: () => Promise<void>): () => Promise<void> {
  let closing: Promise<void> | undefined;
  const shutdown = (reason: string) => {
    if (closing) return closing;
    logger.info({ reason }, 'shutting down');
    closing = close()
      .catch((error: unknown) => {
        logger.error({ err: error }, 'error while shutting down');
        process.exitCode = 1;
      })
      .finally(() => {
        process.off('SIGTERM', onTerm);
        process.off('SIGHUP', onHup);
        process.off('SIGINT', onInt);
        setImmediate(() => process.exit());
      });
    return closing;
  };
  const onTerm = () => void shutdown('SIGTERM');
  // A closed terminal: without a handler Node would die at once and leave children (a private
  // redis-server, a training child) running.
  const onHup = () => void shutdown('SIGHUP');
  const onInt = () => {
    if (closing) process.exit(130);
    void shutdown('SIGINT');
  };
  process.on('SIGTERM', onTerm);
  process.on('SIGHUP', onHup);
  process.on('SIGINT', onInt);
  return () => shutdown('done');
}
