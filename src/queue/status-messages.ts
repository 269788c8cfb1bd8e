import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { CodedError } from '../errors/coded-error.js';

/** How long a status message's state is remembered after its last update. */
const STATE_TTL_S = 2 * 86_400;
/** A delivery holding the lock longer than this (a killed bot) loses it. */
const LOCK_MS = 30_000;

const RELEASE = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end return 0`;

export interface StatusMessagesOptions {
  /** Longest wait for another delivery of the same status message before giving the job back. */
  waitMs?: number;
  pollMs?: number;
}

/**
 * The shared memory of status messages (a `/retrain`'s progress) across bot processes: for each
 * status key, the newest state delivered (`seq`) and the sender's reference to the message showing
 * it (Slack: channel and `ts`), in the hash `<prefix>:status-message:<key>`. One delivery per key
 * at a time (a lock in Redis), so states are posted in order and never race to create two messages;
 * a state older than the one already shown is dropped.
 */
export class StatusMessages {
  readonly #waitMs: number;
  readonly #pollMs: number;

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    options: StatusMessagesOptions = {},
  ) {
    this.#waitMs = options.waitMs ?? 10_000;
    this.#pollMs = options.pollMs ?? 50;
  }

  /**
   * Runs `deliver` with the reference of the message showing the status so far, unless a newer
   * state was delivered already (`stale`); remembers `seq` and the reference `deliver` returns.
   */
  async deliver(
    key: string,
    seq: number,
    deliver: (messageRef: string | undefined) => Promise<string | undefined>,
  ): Promise<'delivered' | 'stale'> {
    const stateKey = `${this.prefix}:status-message:${key}`;
    const lockKey = `${stateKey}:lock`;
    const token = randomUUID();
    await this.#lock(key, lockKey, token);
    try {
      const state = await this.redis.hmget(stateKey, 'seq', 'ref');
      const [shownSeq, shownRef] = state;
      if (shownSeq !== null && Number(shownSeq) >= seq) return 'stale';
      const ref = (await deliver(shownRef ?? undefined)) ?? shownRef ?? undefined;
      const fields: Record<string, string> = { seq: String(seq) };
      if (ref !== undefined) fields.ref = ref;
      await this.redis.multi().hset(stateKey, fields).expire(stateKey, STATE_TTL_S).exec();
      return 'delivered';
    } finally {
      await this.redis.eval(RELEASE, 1, lockKey, token).catch(() => undefined);
    }
  }

  async #lock(key: string, lockKey: string, token: string): Promise<void> {
    const deadline = Date.now() + this.#waitMs;
    while ((await this.redis.set(lockKey, token, 'PX', LOCK_MS, 'NX')) === null) {
      if (Date.now() >= deadline)
        throw new CodedError('STATUS_MESSAGE_BUSY', `status message ${key} is being updated by another delivery`);
      await new Promise((resolve) => setTimeout(resolve, this.#pollMs));
    }
  }
}
