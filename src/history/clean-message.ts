import { tokenize } from '../model/tokenize.js';
import { isReservedToken } from '../model/special-tokens.js';
import type { RawMessage, StoredMessage } from './stored-message.js';

/** Why a message was left out of the stored history (counted by the import). */
export type SkipReason = 'bot' | 'system' | 'command' | 'empty' | 'link-only' | 'opted-out';

export interface CleanOptions {
  /** Users who asked to be forgotten (`/forget me`): their messages are never stored. */
  optedOut?: ReadonlySet<string>;
}

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
  const text = message.text.trim();
  if (text === '') return 'empty';
  if (COMMAND.test(text)) return 'command';
  if (!tokenize(text).some((token) => !isReservedToken(token) && /[\p{L}\p{N}]/u.test(token))) return 'link-only';
  const kept: StoredMessage = { text };
  if (message.author !== undefined) kept.author = message.author;
  if (message.timestamp !== undefined) kept.timestamp = message.timestamp;
  return kept;
}
