import type { ChannelRef } from '../commands/channel-ref.js';
import { cleanMessage, MAX_MESSAGE_CHARS, type SkipReason } from './clean-message.js';
import type { RedisHistoryStore } from './redis-history-store.js';
import type { RawMessage, StoredMessage } from './stored-message.js';

export interface ImportReport {
  read: number;
  stored: number;
  skipped: Partial<Record<SkipReason, number>>;
  /** Messages in the channel's store afterwards (capped to the newest). */
  total: number;
  /** Messages cut to `MAX_MESSAGE_CHARS`. */
  truncated: number;
  /** Older stored messages (imported now or before) that the history cap pushed out. */
  dropped: number;
  /** The history cap: most messages a channel keeps (`RETRAIN_MAX_MESSAGES`). */
  cap: number;
}

const BATCH = 1_000;

/** Cleans a stream of messages and appends what is left to the channel's stored history, in batches. */
export async function importHistory(
  store: RedisHistoryStore,
  channel: ChannelRef,
  source: AsyncIterable<RawMessage>,
  { onRead }: { onRead?: (report: ImportReport) => void } = {},
): Promise<ImportReport> {
  const optedOut = await store.optedOut(channel.platform, channel.workspace);
  const before = await store.count(channel);
  const report: ImportReport = {
    read: 0,
    stored: 0,
    skipped: {},
    total: 0,
    truncated: 0,
    dropped: 0,
    cap: store.maxMessages,
  };
  let batch: StoredMessage[] = [];
  // The store checks the opt-out set again as it appends: someone may say /forget me meanwhile.
  const flush = async (): Promise<void> => {
    const stored = await store.append(channel, batch);
    report.stored += stored;
    if (stored < batch.length) report.skipped['opted-out'] = (report.skipped['opted-out'] ?? 0) + batch.length - stored;
    batch = [];
  };
  for await (const raw of source) {
    report.read++;
    onRead?.(report);
    const kept = cleanMessage(raw, { optedOut });
    if (typeof kept === 'string') {
      report.skipped[kept] = (report.skipped[kept] ?? 0) + 1;
      continue;
    }
    if (raw.text.trim().length > MAX_MESSAGE_CHARS) report.truncated++;
    batch.push(kept);
    if (batch.length >= BATCH) await flush();
  }
  await flush();
  report.total = await store.count(channel);
  report.dropped = Math.max(0, before + report.stored - report.total);
  return report;
}
