import type { Redis } from 'ioredis';

/** Longer than a reply job can wait and be retried (its failed job is kept a day). */
const MARKER_TTL_S = 2 * 86_400;

/** What `ReplyAttempts.begin` knows about earlier attempts to post one reply. */
export interface AttemptStart {
  /** Epoch ms when the first attempt began. */
  firstAttemptAt: number;
  /** An earlier attempt began (in this or another bot process) and never completed the job. */
  earlierAttempt: boolean;
}

/**
 * The shared memory of reply posts in flight, across bot processes: before a reply is posted for the
 * first time, `<prefix>:reply-attempt:<reply id>` is set to the time (it expires after two days).
 * A later attempt that finds the key knows an earlier one may have reached the platform before its
 * bot died or its post failed, and asks the sender to check before posting again. BullMQ's own
 * `attemptsMade` cannot say this: a job given back by the stalled-job check (its bot was killed
 * mid-post) starts again with the same count.
 */
export class ReplyAttempts {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly now: () => number = Date.now,
  ) {}

  async begin(replyId: string): Promise<AttemptStart> {
    const key = `${this.prefix}:reply-attempt:${replyId}`;
    const now = this.now();
    const results = await this.redis.multi().set(key, String(now), 'EX', MARKER_TTL_S, 'NX').get(key).exec();
    const failed = results?.find(([error]) => error !== null)?.[0];
    if (failed) throw failed;
    const [set, value] = [results?.[0]?.[1], results?.[1]?.[1]];
    if (set === 'OK') return { firstAttemptAt: now, earlierAttempt: false };
    const first = Number(value);
    return { firstAttemptAt: Number.isFinite(first) && first > 0 ? first : now, earlierAttempt: true };
  }
}
