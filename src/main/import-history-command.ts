/**
 * `lstm-bot import`: a channel's history from a file the platform API cannot reach (our JSONL, a
 * DiscordChatExporter JSON export, a Slack export folder) into the channel's stored history in Redis,
 * cleaned and capped, ready for `/retrain` (the same path as collected history).
 */
import type { Command } from 'commander';
import { isChatId, PLATFORMS, type Platform } from '../commands/channel-ref.js';
import { loadConfig } from '../config/load-config.js';
import { MAX_MESSAGE_CHARS } from '../history/clean-message.js';
import { redisUrl } from '../config/redis-url.js';
import { createRedisClient } from '../queue/redis-connections.js';
import { historyFormatOf, readHistoryFile, type HistoryFormat } from '../history/read-history-file.js';
import { importHistory, type ImportReport } from '../history/import-history.js';
import { RedisHistoryStore } from '../history/redis-history-store.js';
import { ProgressReporter } from './progress-reporter.js';

export interface ImportCommandOptions {
  platform: string;
  /** Required for Discord and Slack; the console's is always `local`. */
  workspace?: string;
  channel: string;
  file: string;
  format?: string;
}

const FORMATS: readonly HistoryFormat[] = ['jsonl', 'discord', 'slack'];
/** Malformed entries named in the report (the count covers all). */
const MALFORMED_SHOWN = 5;

export interface ImportCommandReport extends ImportReport {
  malformed: { count: number; first: string[] };
}

export async function runImportHistory(
  options: ImportCommandOptions,
  progress?: Pick<ProgressReporter, 'update'>,
): Promise<ImportCommandReport> {
  if (!PLATFORMS.includes(options.platform as Platform))
    throw new Error(`--platform must be one of ${PLATFORMS.join(', ')}`);
  if (options.format !== undefined && !FORMATS.includes(options.format as HistoryFormat)) {
    throw new Error(`--format must be one of ${FORMATS.join(', ')}`);
  }
  const workspace = workspaceOf(options.platform as Platform, options.workspace);
  for (const [flag, value] of [
    ['--workspace', workspace],
    ['--channel', options.channel],
  ] as const) {
    if (!isChatId(value))
      throw new Error(`${flag} must be 1 to 64 letters, digits, - or _ (got ${JSON.stringify(value)})`);
  }
  const config = loadConfig();
  const redis = createRedisClient(redisUrl(config), { maxRetriesPerRequest: 2 });
  try {
    const store = new RedisHistoryStore(redis, config.QUEUE_PREFIX, config.RETRAIN_MAX_MESSAGES);
    const format = (options.format as HistoryFormat | undefined) ?? (await historyFormatOf(options.file));
    const channel = { platform: options.platform as Platform, workspace, channel: options.channel };
    const malformed = { count: 0, first: [] as string[] };
    const source = readHistoryFile(options.file, format, (where) => {
      malformed.count += 1;
      if (malformed.first.length < MALFORMED_SHOWN) malformed.first.push(where);
    });
    const report = await importHistory(store, channel, source, {
      onRead: ({ read, stored }) =>
        progress?.update({ label: 'importing', done: read, unit: 'messages', detail: `${stored} stored` }),
    });
    return { ...report, malformed };
  } finally {
    redis.disconnect();
  }
}

/** Discord and Slack channel ids are unique only within a server or team: their workspace must be named. */
function workspaceOf(platform: Platform, workspace: string | undefined): string {
  if (platform === 'console') {
    if (workspace !== undefined && workspace !== 'local') throw new Error("the console's --workspace is always local");
    return 'local';
  }
  if (!workspace) {
    throw new Error(`--workspace is required for ${platform}: the ${platform === 'discord' ? 'server' : 'team'} id`);
  }
  return workspace;
}

/** The summary line (stdout). */
export function formatImportReport(report: ImportReport): string {
  const skipped = Object.entries(report.skipped)
    .map(([reason, n]) => `${n} ${reason}`)
    .join(', ');
  return `read ${report.read} messages, stored ${report.stored}${skipped ? ` (left out: ${skipped})` : ''}; the channel now has ${report.total} stored messages`;
}

/** What the operator should know beyond the summary (stderr): malformed entries, cut messages, the cap. */
export function importWarnings(report: ImportCommandReport): string[] {
  const warnings: string[] = [];
  const { count, first } = report.malformed;
  if (count > 0) {
    const more = count > first.length ? ', ...' : '';
    warnings.push(`left out ${count} malformed ${count === 1 ? 'entry' : 'entries'} (${first.join('; ')}${more})`);
  }
  if (report.truncated > 0) {
    warnings.push(`cut ${report.truncated} message(s) longer than ${MAX_MESSAGE_CHARS} characters to that length`);
  }
  if (report.dropped > 0) {
    warnings.push(
      `a channel keeps only its newest ${report.cap} messages (RETRAIN_MAX_MESSAGES): ` +
        `${report.dropped} older one(s) were dropped`,
    );
  }
  return warnings;
}

export function registerImportCommand(program: Command): void {
  program
    .command('import')
    .description("import a channel's history from a file (JSONL, DiscordChatExporter JSON, Slack export folder)")
    .requiredOption('--platform <platform>', 'discord, slack or console')
    .option('--workspace <id>', 'Discord server id or Slack team id (required for them; the console needs none)')
    .requiredOption('--channel <id>', 'channel id')
    .requiredOption(
      '--file <path>',
      'a .jsonl file, a DiscordChatExporter .json file, or a Slack export channel folder',
    )
    .option('--format <format>', 'jsonl, discord or slack (default: from the path)')
    .action(async (options: ImportCommandOptions) => {
      const progress = new ProgressReporter();
      try {
        const report = await runImportHistory(options, progress).finally(() => progress.finish());
        console.log(formatImportReport(report));
        for (const warning of importWarnings(report)) console.error(`lstm-bot import: ${warning}`);
        if (report.stored === 0) {
          console.error(`lstm-bot import: nothing usable in ${options.file}: no message was stored`);
          process.exitCode = 1;
        }
      } catch (error) {
        console.error(`lstm-bot import: ${error instanceof Error ? error.message : String(error)}`);
        process.exitCode = 1;
      }
    });
}
