import type { OutboundReply } from '../commands/reply-address.js';
import { isCodedError, errorCodeOf, type CodedError } from '../errors/coded-error.js';
import { errorCodes, type ErrorCode } from '../errors/error-codes.js';
import { renderReply, type ReplyKey } from './reply-catalogue.js';
import { UserError } from './user-error.js';

export interface ErrorReport {
  /** What the user reads: always short, always private. */
  reply: OutboundReply;
  /** How loudly to log it: refusals are routine, unavailability is a warning, the rest are errors. */
  level: 'debug' | 'warn' | 'error';
  code: string;
}

/** The catalogue keys that `errorCodes` maps codes to: a key the catalogue lacks fails to compile here. */
type CodeReplyKey = Extract<(typeof errorCodes)[ErrorCode], { reply: string }>['reply'] & ReplyKey;

/** How each code's reply is rendered, with the parameters it takes from the error (one entry per key). */
const codeReplies: { readonly [K in CodeReplyKey]: (error: CodedError) => string } = {
  'command.unavailable': () => renderReply('command.unavailable'),
  'continue.noModel': () => renderReply('continue.noModel'),
  'retrain.tooFew': (error) =>
    renderReply('retrain.tooFew', typeof error.details.min === 'number' ? { min: error.details.min } : {}),
  'retrain.cancelled': () => renderReply('retrain.cancelled'),
  'retrain.timedOut': () => renderReply('retrain.timedOut'),
  'retrain.historyNoAccess': () => renderReply('retrain.historyNoAccess'),
  'retrain.historyChannelNotFound': () => renderReply('retrain.historyChannelNotFound'),
  'retrain.historyNoContent': () => renderReply('retrain.historyNoContent'),
  'retrain.historyNotInChannel': () => renderReply('retrain.historyNotInChannel'),
  'retrain.historyRateLimited': () => renderReply('retrain.historyRateLimited'),
  'retrain.outOfMemory': (error) => renderReply('retrain.outOfMemory', { limitMb: Number(error.details.limitMb ?? 0) }),
};

/** Where an error ends a request, what the user reads when its code has no reply of its own. */
export type FallbackReply =
  'command.internalError' | 'continue.failed' | 'retrain.failed' | 'retrain.historyUnreadable';

/** The reply of a `CodedError` whose code has one (`errorCodes`), else undefined. */
export function codeReply(error: unknown): string | undefined {
  if (!isCodedError(error)) return undefined;
  const info: { retryable: boolean; reply?: CodeReplyKey } = errorCodes[error.code];
  return info.reply === undefined ? undefined : codeReplies[info.reply](error);
}

/** What the user reads when `error` ends their request: a refusal's own sentence, the code's, or `fallback`. */
export function replyTextFor(error: unknown, fallback: FallbackReply): string {
  if (error instanceof UserError) return error.render();
  return codeReply(error) ?? renderReply(fallback);
}

/** The one place any error of a command becomes a short user message plus what the log line needs. */
export function errorToReply(error: unknown): ErrorReport {
  const text = replyTextFor(error, 'command.internalError');
  const reply: OutboundReply = { text, visibility: 'private' };
  if (error instanceof UserError) return { reply, level: 'debug', code: `user:${error.key}` };
  return { reply, level: codeReply(error) === undefined ? 'error' : 'warn', code: errorCodeOf(error) };
}
