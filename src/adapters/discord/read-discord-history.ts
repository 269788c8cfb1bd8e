import { MessageType, Routes, type APIMessage, type REST } from 'discord.js';
import type { HistoryMessage } from '../../history/history-source.js';
import { toDiscordError } from './discord-error.js';
import { CodedError } from '../../errors/coded-error.js';

export interface ReadDiscordHistoryOptions {
  /** Channel or thread id. */
  channel: string;
  /** Stop after this many messages have been yielded; default no limit. */
  maxMessages?: number;
  /** Resume strictly below this message id (a `cursor` from an earlier read); default: the newest. */
  before?: string;
  /** Stop after looking at this many messages, yielded or skipped; default 10 times `maxMessages`. */
  maxScanned?: number;
  /** Stops the read between pages and aborts a request in flight (`/retrain cancel`). */
  signal?: AbortSignal;
}

/** Newest-first messages of a channel; `cursor` is where a new read resumes without repeats. */
export interface DiscordHistory extends AsyncIterable<HistoryMessage> {
  /** Id of the last message looked at (yielded or skipped); pass it as `before` to resume. */
  readonly cursor: string | undefined;
  /** Messages looked at, including skipped ones. */
  readonly scanned: number;
  /** True once the beginning of the channel was reached. */
  readonly reachedStart: boolean;
}

const PAGE_SIZE = 100;
/** This many messages by people with nothing in them, and none with text, means Discord withholds content. */
const NO_CONTENT_EVIDENCE = 50;
/** The message types people write (a reply is one); joins, pins and boosts are not. */
export const USER_MESSAGE_TYPES: ReadonlySet<number> = new Set([MessageType.Default, MessageType.Reply]);

/**
 * Reads a channel's history through REST in pages of 100 going back with `before`, skipping bots,
 * system messages and empty ones. discord.js's REST waits out 429s by itself; a missing permission
 * becomes a `CodedError` (`DISCORD_MISSING_ACCESS`, ...), and 50 messages by people without any
 * text (Discord withholds it without the Message Content intent) `DISCORD_NO_MESSAGE_CONTENT`.
 * Without Read Message History Discord answers with no messages at all, so callers check that
 * permission first.
 *
 * @see https://discord.com/developers/docs/resources/message#get-channel-messages
 */
export function readDiscordHistory(rest: REST, options: ReadDiscordHistoryOptions): DiscordHistory {
  const state = { cursor: options.before, scanned: 0, reachedStart: false };
  const maxMessages = options.maxMessages ?? Infinity;
  const maxScanned = options.maxScanned ?? maxMessages * 10;
  async function* messages(): AsyncGenerator<HistoryMessage> {
    let yielded = 0;
    let before = options.before;
    let blank = 0;
    while (yielded < maxMessages && state.scanned < maxScanned) {
      options.signal?.throwIfAborted();
      const page = await fetchPage(rest, options.channel, before, options.signal);
      for (const message of page) {
        state.cursor = message.id;
        state.scanned += 1;
        if (looksWithheld(message)) blank += 1;
        if (blank >= NO_CONTENT_EVIDENCE && yielded === 0) throw noContent(options.channel);
        if (!isUserMessage(message)) continue;
        yield {
          id: message.id,
          authorId: message.author.id,
          text: message.content,
          timestamp: Date.parse(message.timestamp),
        };
        yielded += 1;
        if (yielded >= maxMessages) return;
      }
      const oldest = page.at(-1);
      if (page.length < PAGE_SIZE || !oldest) {
        state.reachedStart = true;
        return;
      }
      before = oldest.id;
    }
  }
  return {
    get cursor() {
      return state.cursor;
    },
    get scanned() {
      return state.scanned;
    },
    get reachedStart() {
      return state.reachedStart;
    },
    [Symbol.asyncIterator]: messages,
  };
}

async function fetchPage(
  rest: REST,
  channelId: string,
  before: string | undefined,
  signal: AbortSignal | undefined,
): Promise<APIMessage[]> {
  const query = new URLSearchParams({ limit: String(PAGE_SIZE), ...(before ? { before } : {}) });
  try {
    return (await rest.get(Routes.channelMessages(channelId), {
      query,
      ...(signal ? { signal } : {}),
    })) as APIMessage[];
  } catch (error) {
    if (signal?.aborted) throw signal.reason;
    throw toDiscordError(error, `reading the history of channel ${channelId}`);
  }
}

function isByPerson(message: APIMessage): boolean {
  return !message.author.bot && !message.author.system && USER_MESSAGE_TYPES.has(message.type);
}

function isUserMessage(message: APIMessage): boolean {
  return isByPerson(message) && message.content.trim() !== '';
}

/** A person's message with no text, attachment, embed, sticker or poll: what Discord sends without the intent. */
function looksWithheld(message: APIMessage): boolean {
  return (
    isByPerson(message) &&
    message.content === '' &&
    message.attachments.length === 0 &&
    message.embeds.length === 0 &&
    (message.sticker_items?.length ?? 0) === 0 &&
    message.poll === undefined
  );
}

function noContent(channelId: string): CodedError {
  return new CodedError(
    'DISCORD_NO_MESSAGE_CONTENT',
    `Discord returned messages of channel ${channelId} without their text: enable the Message Content intent ` +
      'of the application in the Developer Portal (docs/discord.md)',
  );
}
