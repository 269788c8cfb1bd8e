import type { ChannelRef } from '../commands/channel-ref.js';
import { importHistory, type ImportReport } from './import-history.js';
import type { RedisHistoryStore } from './redis-history-store.js';
import type { HistorySource } from './history-source.js';
import type { RawMessage } from './stored-message.js';

export interface CollectHistoryOptions {
  /** Most messages to read from the platform. */
  maxMessages: number;
  signal?: AbortSignal;
  onProgress?: (read: number) => void;
}

/**
 * Brings the channel's stored history up to date from its platform: reads newest first until it
 * reaches what is already stored (or `maxMessages`), then cleans and appends the new messages in time
 * order. History imported from files stays; the platform adds what came after it.
 */
export async function collectHistory(
  store: RedisHistoryStore,
  channel: ChannelRef,
  source: HistorySource,
  options: CollectHistoryOptions,
): Promise<ImportReport> {
  const newestStored = await newestTimestamp(store, channel);
  const collected: RawMessage[] = [];
  for await (const message of source({
    channel: channel.channel,
    maxMessages: options.maxMessages,
    signal: options.signal,
  })) {
    if (message.timestamp <= newestStored) break;
    collected.push({
      text: message.text,
      author: message.authorId,
      timestamp: new Date(message.timestamp).toISOString(),
    });
    if (collected.length % 500 === 0) options.onProgress?.(collected.length);
    if (collected.length >= options.maxMessages) break;
  }
  options.onProgress?.(collected.length);
  collected.reverse();
  return importHistory(store, channel, toAsync(collected));
}

async function newestTimestamp(store: RedisHistoryStore, channel: ChannelRef): Promise<number> {
  let newest = -Infinity;
  for await (const message of store.read(channel, 1)) {
    const time = message.timestamp === undefined ? NaN : Date.parse(message.timestamp);
    if (Number.isFinite(time)) newest = time;
  }
  return newest;
}

async function* toAsync<T>(items: readonly T[]): AsyncGenerator<T> {
  yield* items;
}
