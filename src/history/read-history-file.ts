import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { readCorpus } from '../model/corpus/read-corpus.js';
import { decodeSlackEntities } from '../model/text/slack-entities.js';
import type { RawMessage } from './stored-message.js';
import { streamJsonArray } from './stream-json-array.js';
import { CodedError } from '../errors/coded-error.js';

export type HistoryFormat = 'jsonl' | 'discord' | 'slack';

/** The format of an import source: a folder is a Slack export, `.jsonl` ours, `.json` DiscordChatExporter. */
export async function historyFormatOf(path: string): Promise<HistoryFormat> {
  const info = await stat(path).catch((error: unknown) => {
    throw new CodedError('IMPORT_SOURCE_MISSING', `cannot read ${path}`, { cause: error });
  });
  if (info.isDirectory()) return 'slack';
  if (path.endsWith('.json')) return 'discord';
  return 'jsonl';
}

/** Told where an entry of the source could not be read as a message (`line 7: not valid JSON`). */
export type OnMalformed = (where: string) => void;

/**
 * Streams the messages of an import source, oldest first as the exports write them; entries that are
 * not messages are skipped and told to `onMalformed`.
 */
export function readHistoryFile(
  path: string,
  format: HistoryFormat,
  onMalformed: OnMalformed = () => undefined,
): AsyncGenerator<RawMessage> {
  switch (format) {
    case 'jsonl':
      return readJsonl(path, onMalformed);
    case 'discord':
      return readDiscordExport(path, onMalformed);
    case 'slack':
      return readSlackExport(path, onMalformed);
  }
}

/** Our JSONL: one `{ text, author?, timestamp? }` per line. */
async function* readJsonl(path: string, onMalformed: OnMalformed): AsyncGenerator<RawMessage> {
  const onSkip = ({ line, reason }: { line: number; reason: string }): void => onMalformed(`line ${line}: ${reason}`);
  for await (const { text, author, timestamp } of readCorpus(path, 'jsonl', { onSkip })) {
    const message: RawMessage = { text };
    if (author !== undefined) message.author = author;
    if (timestamp !== undefined) message.timestamp = timestamp;
    yield message;
  }
}

/** DiscordChatExporter JSON: `{ messages: [{ id, type, timestamp, content, author: { id, isBot } }] }`. */
async function* readDiscordExport(path: string, onMalformed: OnMalformed): AsyncGenerator<RawMessage> {
  let index = 0;
  for await (const item of streamJsonArray(path, 'messages')) {
    index += 1;
    const m = (item ?? {}) as {
      type?: unknown;
      timestamp?: unknown;
      content?: unknown;
      author?: { id?: unknown; isBot?: unknown };
    };
    if (typeof m.content !== 'string') {
      onMalformed(`message ${index}: no "content" string`);
      continue;
    }
    const message: RawMessage = { text: m.content };
    if (typeof m.author?.id === 'string') message.author = m.author.id;
    if (typeof m.timestamp === 'string') message.timestamp = m.timestamp;
    if (m.author?.isBot === true) message.isBot = true;
    if (typeof m.type === 'string' && m.type !== 'Default' && m.type !== 'Reply') message.isSystem = true;
    yield message;
  }
}

const SLACK_PERSON_SUBTYPES: ReadonlySet<string> = new Set(['thread_broadcast', 'file_share', 'me_message']);

/** A Slack export folder of one channel: per-day `YYYY-MM-DD.json` files, each an array of messages. */
async function* readSlackExport(path: string, onMalformed: OnMalformed): AsyncGenerator<RawMessage> {
  const days = (await readdir(path)).filter((name) => /^\d{4}-\d{2}-\d{2}\.json$/.test(name)).sort();
  if (days.length === 0) {
    throw new CodedError('IMPORT_FORMAT_INVALID', `${path} has no per-day files (YYYY-MM-DD.json) of a Slack export`);
  }
  for (const day of days) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(await readFile(join(path, day), 'utf8'));
    } catch {
      onMalformed(`${day}: not valid JSON`);
      continue;
    }
    if (!Array.isArray(parsed)) {
      onMalformed(`${day}: not an array of messages`);
      continue;
    }
    const sorted = parsed
      .filter((m): m is Record<string, unknown> => typeof m === 'object' && m !== null)
      .sort((a, b) => Number(a.ts) - Number(b.ts));
    for (const m of sorted) {
      if (typeof m.text !== 'string') continue;
      const message: RawMessage = { text: decodeSlackEntities(m.text) };
      if (typeof m.user === 'string') message.author = m.user;
      if (typeof m.ts === 'string' && Number.isFinite(Number(m.ts))) {
        message.timestamp = new Date(Number(m.ts) * 1000).toISOString();
      }
      if (typeof m.bot_id === 'string' || m.subtype === 'bot_message') message.isBot = true;
      else if (typeof m.subtype === 'string' && !SLACK_PERSON_SUBTYPES.has(m.subtype)) message.isSystem = true;
      yield message;
    }
  }
}
