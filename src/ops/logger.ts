import { pino, type Logger, type LoggerOptions } from 'pino';
import pretty from 'pino-pretty';
import { Secret } from '../config/secret.js';

export type { Logger };

export interface CreateLoggerOptions {
  level?: LoggerOptions['level'];
  format?: 'json' | 'pretty';
  /** Secret values that must never appear in a log line, whatever carries them. */
  secrets?: readonly (Secret | undefined)[];
  /** Where lines go; default stderr, so stdout stays free for the console channel. */
  destination?: NodeJS.WritableStream;
  name?: string;
}

const REDACT_PATHS = ['token', 'password', 'authorization', 'signingSecret'].flatMap((key) => [
  key,
  `*.${key}`,
  `*.headers.${key}`,
]);

/**
 * The one structured logger of a process. Known secret values are masked in every string of every
 * line (messages, fields, error stacks), on top of path-based redaction.
 */
export function createLogger({
  level = 'info',
  format = 'json',
  secrets = [],
  destination = process.stderr,
  name = 'lstm-bot',
}: CreateLoggerOptions = {}): Logger {
  const values = secrets.filter((s): s is Secret => s instanceof Secret).map((s) => s.reveal());
  const mask = (line: string): string => values.reduce((text, value) => text.split(value).join('[redacted]'), line);
  const sink =
    format === 'pretty'
      ? pretty({ destination, sync: true, colorize: false, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' })
      : destination;
  const masked = { write: (chunk: string) => sink.write(mask(chunk)) };
  return pino({ level, name, redact: { paths: REDACT_PATHS, censor: '[redacted]' } }, masked);
}
