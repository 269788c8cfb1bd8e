import type { Redis } from 'ioredis';
import { CodedError } from '../errors/coded-error.js';
import { withRedisLock } from './redis-lock.js';

/** How long a status message's state is remembered after its last update. */
const STATE_TTL_S = 2 * 86_400;
/** A delivery that stops renewing the lock (a killed bot) loses it after this long. */
const LOCK_MS = 30_000;

export interface StatusMessageSequencerOptions {
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
export class StatusMessageSequencer {
  readonly #waitMs: number;
  readonly #pollMs: number;

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    options: StatusMessageSequencerOptions = {},
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
    const onBusy = () =>
      new CodedError('STATUS_MESSAGE_BUSY', `status message ${key} is being updated by another delivery`);
    const lock = { ttlMs: LOCK_MS, waitMs: this.#waitMs, pollMs: this.#pollMs, onBusy };
    return withRedisLock(this.redis, `${stateKey}:lock`, lock, async () => {
      const [shownSeq, shownRef] = await this.redis.hmget(stateKey, 'seq', 'ref');
      if (shownSeq !== null && Number(shownSeq) >= seq) return 'stale';
      const ref = (await deliver(shownRef ?? undefined)) ?? shownRef ?? undefined;
      const fields: Record<string, string> = { seq: String(seq) };
      if (ref !== undefined) fields.ref = ref;
      await this.redis.multi().hset(stateKey, fields).expire(stateKey, STATE_TTL_S).exec();
      return 'delivered';
    });
  }
}
