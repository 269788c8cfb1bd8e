import { isWordToken, tokenize } from '../model/text/tokenize.js';
import { isReservedToken } from '../model/text/special-tokens.js';
import type { RawMessage, StoredMessage } from './stored-message.js';

/** Why a message was left out of the stored history (counted by the import). */
export type SkipReason = 'bot' | 'system' | 'command' | 'empty' | 'link-only' | 'opted-out';

export interface CleanOptions {
  /** Users who asked to be forgotten (`/forget me`): their messages are never stored. */
  optedOut?: ReadonlySet<string>;
}

/**
 * Longest message stored, in characters (about twice Discord's 2,000): a longer one (a pasted log, a
 * file) is cut at the last space before this, so one message cannot fill a channel's history.
 */
export const MAX_MESSAGE_CHARS = 4_000;

/** A slash or prefix command typed as a message (`/continue hi`, `!retrain`): an instruction, not chat. */
const COMMAND = /^\s*[/!][a-z][\w-]*(?:\s|$)/i;

/**
 * Keeps what people wrote and drops the rest: bot and system messages, commands, empty messages,
 * messages with no word besides links, mentions and emoji, and messages of opted-out users.
 */
export function cleanMessage(message: RawMessage, { optedOut }: CleanOptions = {}): StoredMessage | SkipReason {
  if (message.isBot) return 'bot';
  if (message.isSystem) return 'system';
  if (message.author !== undefined && optedOut?.has(message.author)) return 'opted-out';
  const text = capLength(message.text.trim());
  if (text === '') return 'empty';
  if (COMMAND.test(text)) return 'command';
  if (!tokenize(text).some((token) => !isReservedToken(token) && isWordToken(token))) return 'link-only';
  const kept: StoredMessage = { text };
  if (message.author !== undefined) kept.author = message.author;
  if (message.timestamp !== undefined) kept.timestamp = message.timestamp;
  return kept;
}

/** `text` cut to `MAX_MESSAGE_CHARS`, at a space when one is near the end, never inside a character. */
function capLength(text: string): string {
  if (text.length <= MAX_MESSAGE_CHARS) return text;
  let cut = text.slice(0, MAX_MESSAGE_CHARS);
  if (/[\uD800-\uDBFF]$/.test(cut)) cut = cut.slice(0, -1);
  const space = cut.search(/\s\S*$/);
  return (space > MAX_MESSAGE_CHARS - 200 ? cut.slice(0, space) : cut).trimEnd();
}
