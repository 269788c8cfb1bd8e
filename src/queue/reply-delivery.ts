import { DelayedError, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { DeliveryAttempt, ReplySender } from '../commands/reply-address.js';
import type { Logger } from '../ops/logger.js';
import type { Metrics } from '../ops/metrics.js';
import { ReplyAttempts } from './reply-attempts.js';
import { replyJobSchema, type ReplyJobData } from './reply-job.js';
import { ReplyRefusedError } from './reply-refused-error.js';
import { StatusMessageSequencer } from './status-message-sequencer.js';
import { CodedError, errorCodeOf, isCodedError } from '../errors/coded-error.js';
import { logRedisErrors } from '../ops/log-redis-errors.js';

export interface ReplyRoute {
  /** A `replies-*` queue (`replyQueueName`). */
  queue: string;
  sender: ReplySender;
}

export interface ReplyDeliveryOptions {
  /** A worker connection (`createWorkerRedis`). */
  connection: Redis;
  prefix: string;
  routes: readonly ReplyRoute[];
  logger: Logger;
  metrics?: Metrics;
  /** Called after each reply is posted (the console uses it to know when every answer is out). */
  onPosted?: (reply: ReplyJobData) => void;
  /** A killed bot's replies are taken over after about this long (`WORKER_LOCK_MS`). */
  lockMs?: number;
  /** How often the reply workers look for replies of killed bots (`WORKER_STALLED_INTERVAL_MS`). */
  stalledIntervalMs?: number;
}

/**
 * A reply is given back this many times when its bot dies mid-post before it fails: a post costs no
 * CPU, so only a killed bot makes it stall, and each retry checks whether the post went out.
 */
const MAX_STALLS = 10;
/** Waits on a platform's rate limit per reply before they count as failed attempts. */
const MAX_RATE_LIMIT_WAITS = 20;

/**
 * Posts finished answers: one BullMQ worker per reply queue, each with the `ReplySender` of its
 * platform. Runs in the process that holds the platform's credentials (the bot); answers that arrive
 * while no bot runs wait in Redis and go out when one starts. Before the first post of a reply,
 * `ReplyAttempts` notes it in Redis; a later attempt (a retry, or the reply of a bot that died
 * mid-post) tells the sender so, and the sender checks whether the platform already has it
 * (`DeliveryAttempt`). A failed post waits the platform's `Retry-After` when it was rate limited, fails
 * at once (`ReplyRefusedError`, a warning naming the channel) when the platform refused it for good,
 * and is otherwise retried with backoff. States of a status message go out one at a time and in
 * order, across bot processes, and the sender is handed the reference to the message it posted for
 * the previous state (`StatusMessageSequencer`).
 */
export class ReplyDelivery {
  readonly #workers: Worker[];
  readonly #status: StatusMessageSequencer;
  readonly #attempts: ReplyAttempts;

  constructor(private readonly options: ReplyDeliveryOptions) {
    this.#status = new StatusMessageSequencer(options.connection, options.prefix);
    this.#attempts = new ReplyAttempts(options.connection, options.prefix);
    this.#workers = options.routes.map((route) => {
      const worker = new Worker(route.queue, (job, token) => this.#post(route.sender, job, token), {
        connection: options.connection,
        prefix: options.prefix,
        concurrency: 16,
        maxStalledCount: MAX_STALLS,
        ...(options.lockMs === undefined ? {} : { lockDuration: options.lockMs }),
        ...(options.stalledIntervalMs === undefined ? {} : { stalledInterval: options.stalledIntervalMs }),
      });
      worker.on('error', logRedisErrors(options.logger, `reply worker (${route.queue})`));
      worker.on('failed', (job, error) => options.metrics?.replyDeliveryFailures.inc(deliveryFailure(job, error)));
      return worker;
    });
  }

  async waitUntilReady(): Promise<void> {
    await Promise.all(this.#workers.map((w) => w.waitUntilReady()));
  }

  /** Waits for posts in flight unless `force`. */
  async close(force = false): Promise<void> {
    await Promise.all(this.#workers.map((w) => w.close(force)));
  }

  async #post(sender: ReplySender, job: Job, token: string | undefined): Promise<void> {
    const parsed = replyJobSchema.safeParse(job.data);
    if (!parsed.success) throw new ReplyRefusedError('REPLY_INVALID', `invalid reply job: ${parsed.error.message}`);
    const data = parsed.data;
    const id = job.id ?? `reply-${data.generateJobId}`;
    const start = await this.#attempts.begin(id);
    const delivery: DeliveryAttempt = { id, firstAttemptAt: start.firstAttemptAt, mayHavePosted: start.earlierAttempt };
    try {
      if ((await this.#send(sender, data, delivery)) === 'stale') return;
    } catch (error) {
      throw await this.#failure(job, token, data, error);
    }
    this.options.metrics?.repliesPosted.inc({ platform: data.address.platform, outcome: data.outcome });
    this.options.logger.debug({ jobId: data.generateJobId, platform: data.address.platform }, 'reply posted');
    this.options.onPosted?.(data);
  }

  async #send(sender: ReplySender, data: ReplyJobData, delivery: DeliveryAttempt): Promise<'posted' | 'stale'> {
    const status = data.status;
    if (status === undefined) {
      await sender.send(data.address, { ...data.reply, delivery });
      return 'posted';
    }
    const outcome = await this.#status.deliver(status.key, status.seq, async (messageRef) => {
      const sent = await sender.send(data.address, {
        ...data.reply,
        status: { key: status.key, stage: status.stage, messageRef },
        delivery,
      });
      return sent ? sent.messageRef : undefined;
    });
    if (outcome === 'stale') {
      this.options.logger.debug({ jobId: data.generateJobId, key: status.key }, 'older status state dropped');
    }
    return outcome === 'stale' ? 'stale' : 'posted';
  }

  /** What the job throws for a failed post: a wait for the rate limit, a refusal for good, or a retry. */
  async #failure(job: Job, token: string | undefined, data: ReplyJobData, error: unknown): Promise<Error> {
    const code = errorCodeOf(error, '');
    const log = {
      jobId: job.id,
      platform: data.address.platform,
      channel: data.address.channelId,
      code: code || undefined,
    };
    const retryAfterMs = isCodedError(error) ? error.retryAfterMs : undefined;
    if (retryAfterMs !== undefined && token !== undefined && job.attemptsStarted <= MAX_RATE_LIMIT_WAITS) {
      this.options.logger.info({ ...log, retryAfterMs }, 'reply rate limited: waiting as the platform asked');
      await job.moveToDelayed(Date.now() + retryAfterMs, token);
      return new DelayedError();
    }
    const message = error instanceof Error ? error.message : String(error);
    if (isCodedError(error) && !error.retryable) {
      this.options.logger.warn({ ...log, err: error }, 'reply refused by the platform for good: not retrying');
      return new ReplyRefusedError(error.code, message, { cause: error });
    }
    if (error instanceof Error && code !== '') return error;
    return new CodedError('REPLY_POST_FAILED', message, { cause: error });
  }
}

/** The labels of a failed post: the platform, and the error's `code` where it has one (else its name). */
function deliveryFailure(job: Job | undefined, error: Error): { platform: string; code: string } {
  const platform = (job?.data as { address?: { platform?: unknown } } | undefined)?.address?.platform;
  const code = (error as { code?: unknown }).code;
  return {
    platform: typeof platform === 'string' ? platform : 'unknown',
    code: typeof code === 'string' || typeof code === 'number' ? String(code) : error.name,
  };
}
