import type { Logger } from './logger.js';
import { redisErrorReason } from './redis-error-reason.js';

export interface LogRedisErrorsOptions {
  /** A reason written once is not written again for this long; the next line counts the ones left out. */
  windowMs?: number;
  now?: () => number;
}

/**
 * The `error` listener of a Redis connection (an ioredis client, a BullMQ worker): writes through `logger`
 * at warn, each reason (the error's code, else its message) at most once per `windowMs`. An ioredis client
 * without one prints `[ioredis] Unhandled error event` and a stack on stderr, past the logger; and a
 * reconnecting client repeats the same error at every attempt (up to every 200 ms). A map of the few
 * reasons seen is all the rate limiting this needs.
 */
export function logRedisErrors(
  logger: Logger,
  source: string,
  { windowMs = 60_000, now = Date.now }: LogRedisErrorsOptions = {},
): (error: unknown) => void {
  const written = new Map<string, { at: number; leftOut: number }>();
  return (error) => {
    const reason = redisErrorReason(error);
    const key = reason.code ?? reason.message;
    const last = written.get(key);
    if (last && now() - last.at < windowMs) {
      last.leftOut += 1;
      return;
    }
    // Reasons quiet for a window are forgotten: the map holds only the few of the last minute.
    for (const [seen, entry] of written) if (now() - entry.at >= windowMs) written.delete(seen);
    written.set(key, { at: now(), leftOut: 0 });
    const repeated = last?.leftOut ? { repeatedSinceLast: last.leftOut } : {};
    logger.warn({ err: error, source, ...repeated }, `${source}: ${reason.message}`);
  };
}
