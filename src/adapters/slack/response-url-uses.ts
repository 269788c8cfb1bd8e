import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';

/** Slack accepts at most this many posts to one `response_url`. */
export const RESPONSE_URL_MAX_USES = 5;
/** ...and only within this long after the command. */
export const RESPONSE_URL_LIFETIME_MS = 30 * 60_000;

/** Takes one use unless the URL is dead or used up; the hash expires with the URL. */
const TAKE = `
if redis.call('HEXISTS', KEYS[1], 'dead') == 1 then return 0 end
local uses = tonumber(redis.call('HGET', KEYS[1], 'uses') or '0')
if uses >= tonumber(ARGV[1]) then return 0 end
redis.call('HINCRBY', KEYS[1], 'uses', 1)
redis.call('PEXPIREAT', KEYS[1], ARGV[2])
return 1
`;

export interface ResponseUrlUsesOptions {
  maxUses?: number;
  now?: () => number;
}

/**
 * What every bot process knows about each `response_url`, in Redis: how many posts it took (Slack
 * accepts five within 30 minutes) and whether Slack called it dead (`404`/`410`, `expired_url`,
 * `used_url`), in the hash `<prefix>:response-url:<sha256 of the URL>`, which expires with the URL.
 * A dead or used-up URL is never tried again, by any process: the answer goes through the Web API.
 */
export class ResponseUrlUses {
  readonly #maxUses: number;
  readonly #now: () => number;

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    { maxUses = RESPONSE_URL_MAX_USES, now = Date.now }: ResponseUrlUsesOptions = {},
  ) {
    this.#maxUses = maxUses;
    this.#now = now;
  }

  /** Takes one use if the URL is still valid, alive and has one left. */
  async take(url: string, expiresAt: number): Promise<boolean> {
    if (this.#now() >= expiresAt) return false;
    const taken = await this.redis.eval(TAKE, 1, this.#key(url), this.#maxUses, Math.ceil(expiresAt));
    return taken === 1;
  }

  /** Slack said the URL no longer works: no process uses it again. */
  async markDead(url: string, expiresAt: number): Promise<void> {
    const key = this.#key(url);
    const until = Math.max(Math.ceil(expiresAt), this.#now() + 60_000);
    await this.redis.multi().hset(key, 'dead', '1').pexpireat(key, until).exec();
  }

  #key(url: string): string {
    return `${this.prefix}:response-url:${createHash('sha256').update(url).digest('hex')}`;
  }
}
