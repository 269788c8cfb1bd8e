import { renderReply, type ReplyKey } from '../replies/reply-catalogue.js';

type HistoryFailureKey = Extract<ReplyKey, `retrain.history${string}`>;

/**
 * What a user reads when a platform's history could not be read, by the `code` of the reader's error
 * (`DiscordError` of `read-discord-history.ts`, `SlackAdapterError` of `read-slack-history.ts`).
 * The readers' own messages are for operators (they name channel ids and configuration) and go to
 * the log; users read a catalogue sentence only.
 */
const REPLY_OF_CODE: Readonly<Record<string, HistoryFailureKey>> = {
  DISCORD_MISSING_ACCESS: 'retrain.historyNoAccess',
  DISCORD_MISSING_PERMISSIONS: 'retrain.historyNoAccess',
  DISCORD_UNKNOWN_CHANNEL: 'retrain.historyChannelNotFound',
  DISCORD_NO_MESSAGE_CONTENT: 'retrain.historyNoContent',
  SLACK_NOT_IN_CHANNEL: 'retrain.historyNotInChannel',
  SLACK_CHANNEL_NOT_FOUND: 'retrain.historyChannelNotFound',
  SLACK_RATE_LIMITED: 'retrain.historyRateLimited',
};

/** The sentence for a failed history read; `retrain.historyUnreadable` for an error without a known code. */
export function historyFailureReply(error: unknown): string {
  const code = (error as { code?: unknown } | undefined)?.code;
  return renderReply((typeof code === 'string' && REPLY_OF_CODE[code]) || 'retrain.historyUnreadable');
}
