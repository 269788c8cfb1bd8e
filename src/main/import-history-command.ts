/**
 * `lstm-bot import`: a channel's history from a file the platform API cannot reach (our JSONL, a
 * DiscordChatExporter JSON export, a Slack export folder) into the channel's stored history in Redis,
 * cleaned and capped, ready for `/retrain` (the same path as collected history).
 */
import type { Command } from 'commander';
import type { Platform } from '../commands/channel-ref.js';
import { loadConfig } from '../config/load-config.js';
import { redisUrl } from '../config/redis-url.js';
import { createRedisClient } from '../queue/redis-connections.js';
import { historyFormatOf, readHistoryFile, type HistoryFormat } from '../history/read-history-file.js';
import { importHistory, type ImportReport } from '../history/import-history.js';
import { RedisHistoryStore } from '../history/redis-history-store.js';

export interface ImportCommandOptions {
  platform: string;
  workspace: string;
  channel: string;
  file: string;
  format?: string;
}

const PLATFORMS: readonly Platform[] = ['discord', 'slack', 'console'];
const FORMATS: readonly HistoryFormat[] = ['jsonl', 'discord', 'slack'];

export async function runImportHistory(o: ImportCommandOptions): Promise<ImportReport> {
  if (!PLATFORMS.includes(o.platform as Platform)) throw new Error(`--platform must be one of ${PLATFORMS.join(', ')}`);
  if (o.format !== undefined && !FORMATS.includes(o.format as HistoryFormat)) {
    throw new Error(`--format must be one of ${FORMATS.join(', ')}`);
  }
  const config = loadConfig();
  const redis = createRedisClient(redisUrl(config), { maxRetriesPerRequest: 2 });
  try {
    const store = new RedisHistoryStore(redis, config.QUEUE_PREFIX, config.RETRAIN_MAX_MESSAGES);
    const format = (o.format as HistoryFormat | undefined) ?? (await historyFormatOf(o.file));
    const channel = { platform: o.platform as Platform, workspace: o.workspace, channel: o.channel };
    return await importHistory(store, channel, readHistoryFile(o.file, format));
  } finally {
    redis.disconnect();
  }
}

export function formatImportReport(report: ImportReport): string {
  const skipped = Object.entries(report.skipped)
    .map(([reason, n]) => `${n} ${reason}`)
    .join(', ');
  return `read ${report.read} messages, stored ${report.stored}${skipped ? ` (left out: ${skipped})` : ''}; the channel now has ${report.total} stored messages`;
}

export function registerImportCommand(program: Command): void {
  program
    .command('import')
    .description("import a channel's history from a file (JSONL, DiscordChatExporter JSON, Slack export folder)")
    .requiredOption('--platform <platform>', 'discord, slack or console')
    .option('--workspace <id>', 'Discord server id, Slack team id (console: local)', 'local')
    .requiredOption('--channel <id>', 'channel id')
    .requiredOption(
      '--file <path>',
      'a .jsonl file, a DiscordChatExporter .json file, or a Slack export channel folder',
    )
    .option('--format <format>', 'jsonl, discord or slack (default: from the path)')
    .action(async (options: ImportCommandOptions) => {
      try {
        console.log(formatImportReport(await runImportHistory(options)));
      } catch (error) {
        console.error(`lstm-bot import: ${error instanceof Error ? error.message : String(error)}`);
        process.exitCode = 1;
      }
    });
}
