import type { OutboundReply } from '../commands/reply-address.js';
import { UnavailableError } from '../commands/unavailable-error.js';
import { renderReply } from './reply-catalogue.js';
import { UserError } from './user-error.js';

export interface ErrorReport {
  /** What the user reads: always short, always private. */
  reply: OutboundReply;
  /** How loudly to log it: refusals are routine, unavailability is a warning, the rest are errors. */
  level: 'debug' | 'warn' | 'error';
  code: string;
}

/** The one place any error becomes a short user message plus what the log line needs. */
export function errorToReply(error: unknown): ErrorReport {
  if (error instanceof UserError) {
    return { reply: { text: error.render(), visibility: 'private' }, level: 'debug', code: `user:${error.key}` };
  }
  if (error instanceof UnavailableError) {
    return {
      reply: { text: renderReply('command.unavailable'), visibility: 'private' },
      level: 'warn',
      code: error.code,
    };
  }
  const code = typeof (error as { code?: unknown })?.code === 'string' ? (error as { code: string }).code : 'INTERNAL';
  return { reply: { text: renderReply('command.internalError'), visibility: 'private' }, level: 'error', code };
}
