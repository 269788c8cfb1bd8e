import { format } from 'node:util';
import { LogLevel, type Logger as BoltLogger } from '@slack/bolt';
import type { Logger } from '../../ops/logger.js';

/** Slack tokens by shape, and the legacy verification `token` field of request bodies Bolt logs at debug. */
const TOKEN_SHAPES = /\bx(?:ox[a-z]|app)-[A-Za-z0-9-]+/g;
const TOKEN_FIELDS = /("token"\s*:\s*")[^"]*(")|(\btoken=)[^&\s]*/g;

/**
 * Bolt's and WebClient's logger interface written to our logger, tagged `component: slack`.
 * Tokens are masked by shape on top of the process logger's masking of known secrets. Levels follow
 * our logger; Bolt's `setLevel` is ignored (the process decides what it writes).
 */
export function boltLogger(logger: Logger): BoltLogger {
  const child = logger.child({ component: 'slack' });
  const line = (msg: unknown[]): string =>
    scrubTokens(format(...msg)).replace(TOKEN_FIELDS, (_m, a?: string, b?: string, c?: string) =>
      c ? `${c}[redacted]` : `${a ?? ''}[redacted]${b ?? ''}`,
    );
  return {
    debug: (...msg: unknown[]) => {
      if (child.isLevelEnabled('debug')) child.debug(line(msg));
    },
    info: (...msg: unknown[]) => child.info(line(msg)),
    warn: (...msg: unknown[]) => child.warn(line(msg)),
    error: (...msg: unknown[]) => child.error(line(msg)),
    setLevel: () => undefined,
    getLevel: () => toBoltLevel(child.level),
    setName: () => undefined,
  };
}

export function scrubTokens(text: string): string {
  return text.replace(TOKEN_SHAPES, '[redacted]');
}

function toBoltLevel(level: string): LogLevel {
  if (level === 'trace' || level === 'debug') return LogLevel.DEBUG;
  if (level === 'info') return LogLevel.INFO;
  if (level === 'warn') return LogLevel.WARN;
  return LogLevel.ERROR;
}
