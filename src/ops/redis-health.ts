import type { Redis } from 'ioredis';
import { describeRedisUrl } from '../config/redis-target.js';
import { createFailFastRedis } from '../queue/redis-connections.js';
import type { Logger } from './logger.js';
import { redisErrorReason } from './redis-error-reason.js';

/**
 * A process's own view of Redis, from its first second: warns at the first failed connection (where,
 * without the password, and the error's code), says when Redis is back, and tells `/healthz` why the
 * process cannot work meanwhile. Its fail-fast connection also serves the metrics read at each scrape.
 */
export class RedisHealth {
  readonly redis: Redis;
  readonly #where: string;
  #failure: { message: string; code?: string } | undefined;

  constructor(
    url: string,
    private readonly logger: Logger,
  ) {
    this.#where = describeRedisUrl(url);
    this.redis = createFailFastRedis(url, { commandTimeoutMs: 1_000 });
    this.redis.on('error', (error: unknown) => this.#failed(error));
    this.redis.on('ready', () => this.#ready());
  }

  /** Resolves while Redis answers; rejects with where and why it does not. */
  async check(): Promise<void> {
    if (this.redis.status !== 'ready') throw new Error(this.#reason());
    try {
      await this.redis.ping();
    } catch (error) {
      throw new Error(`Redis not answering at ${this.#where}: ${redisErrorReason(error).message}`);
    }
  }

  close(): void {
    this.redis.disconnect();
  }

  #reason(): string {
    const failure = this.#failure;
    if (!failure) return `Redis not connected yet at ${this.#where} (${this.redis.status})`;
    return `Redis not reachable at ${this.#where}: ${failure.code ?? failure.message}`;
  }

  #failed(error: unknown): void {
    const first = this.#failure === undefined;
    this.#failure = redisErrorReason(error);
    const fields = { redis: this.#where, code: this.#failure.code, reason: this.#failure.message };
    if (first) this.logger.warn(fields, `${this.#reason()}; retrying, /healthz answers 503 until it is back`);
    else this.logger.debug(fields, 'Redis still not reachable');
  }

  #ready(): void {
    if (this.#failure) this.logger.info({ redis: this.#where }, 'Redis reachable again');
    this.#failure = undefined;
  }
}
