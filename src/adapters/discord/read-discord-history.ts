import { MessageType, Routes, type APIMessage, type REST } from 'discord.js';
import { toDiscordError } from './discord-error.js';

/** One message of a channel's history, as training reads it. */
export interface HistoryMessage {
  id: string;
  authorId: string;
  text: string;
  /** Epoch milliseconds. */
  timestamp: number;
}

export interface ReadDiscordHistoryOptions {
  channelId: string;
  /** Stop after this many messages have been yielded. */
  maxMessages: number;
  /** Resume strictly below this message id (a `cursor` from an earlier read); default: the newest. */
  before?: string;
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
const USER_MESSAGE_TYPES: ReadonlySet<number> = new Set([MessageType.Default, MessageType.Reply]);

/**
 * Reads a channel's history through REST in pages of 100 going back with `before`, skipping bots,
 * system messages and empty ones. discord.js's REST waits out 429s by itself; a missing permission
 * becomes a `DiscordError` (`DISCORD_MISSING_ACCESS`, ...). Without Read Message History Discord
 * answers with no messages at all, so callers check that permission first.
 *
 * @see https://discord.com/developers/docs/resources/message#get-channel-messages
 */
export function readDiscordHistory(rest: REST, options: ReadDiscordHistoryOptions): DiscordHistory {
  const state = { cursor: options.before, scanned: 0, reachedStart: false };
  async function* messages(): AsyncGenerator<HistoryMessage> {
    let yielded = 0;
    let before = options.before;
    while (yielded < options.maxMessages) {
      const page = await fetchPage(rest, options.channelId, before);
      for (const message of page) {
        state.cursor = message.id;
        state.scanned += 1;
        if (!isUserMessage(message)) continue;
        yield {
          id: message.id,
          authorId: message.author.id,
          text: message.content,
          timestamp: Date.parse(message.timestamp),
        };
        yielded += 1;
        if (yielded >= options.maxMessages) return;
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

async function fetchPage(rest: REST, channelId: string, before: string | undefined): Promise<APIMessage[]> {
  const query = new URLSearchParams({ limit: String(PAGE_SIZE), ...(before ? { before } : {}) });
  try {
    return (await rest.get(Routes.channelMessages(channelId), { query })) as APIMessage[];
  } catch (error) {
    throw toDiscordError(error, `reading the history of channel ${channelId}`);
  }
}

function isUserMessage(message: APIMessage): boolean {
  return (
    !message.author.bot &&
    !message.author.system &&
    USER_MESSAGE_TYPES.has(message.type) &&
    message.content.trim() !== ''
  );
}
