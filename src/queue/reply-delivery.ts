import { Worker, UnrecoverableError, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { ReplySender } from '../commands/reply-address.js';
import type { Logger } from '../ops/logger.js';
import type { Metrics } from '../ops/metrics.js';
import { replyJobSchema, type ReplyJobData } from './reply-job.js';
import { StatusMessages } from './status-messages.js';

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
}

/**
 * Posts finished answers: one BullMQ worker per reply queue, each with the `ReplySender` of its
 * platform. Runs in the process that holds the platform's credentials (the bot); answers that arrive
 * while no bot runs wait in Redis and go out when one starts. A failed post is retried with backoff.
 * States of a status message go out one at a time and in order, across bot processes, and the
 * sender is handed the reference to the message it posted for the previous state (`StatusMessages`).
 */
export class ReplyDelivery {
  readonly #workers: Worker[];
  readonly #status: StatusMessages;

  constructor(private readonly options: ReplyDeliveryOptions) {
    this.#status = new StatusMessages(options.connection, options.prefix);
    this.#workers = options.routes.map((route) => {
      const worker = new Worker(route.queue, (job) => this.#post(route.sender, job), {
        connection: options.connection,
        prefix: options.prefix,
        concurrency: 16,
      });
      worker.on('error', (error) => options.logger.warn({ err: error, queue: route.queue }, 'reply worker error'));
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

  async #post(sender: ReplySender, job: Job): Promise<void> {
    const parsed = replyJobSchema.safeParse(job.data);
    if (!parsed.success) throw new UnrecoverableError(`invalid reply job: ${parsed.error.message}`);
    const data = parsed.data;
    const status = data.status;
    if (status === undefined) {
      await sender.send(data.address, data.reply);
    } else {
      const outcome = await this.#status.deliver(status.key, status.seq, async (messageRef) => {
        const sent = await sender.send(data.address, {
          ...data.reply,
          status: { key: status.key, stage: status.stage, messageRef },
        });
        return sent ? sent.messageRef : undefined;
      });
      if (outcome === 'stale') {
        this.options.logger.debug({ jobId: data.generateJobId, key: status.key }, 'older status state dropped');
        return;
      }
    }
    this.options.metrics?.repliesPosted.inc({ platform: data.address.platform, outcome: data.outcome });
    this.options.logger.debug({ jobId: data.generateJobId, platform: data.address.platform }, 'reply posted');
    this.options.onPosted?.(data);
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
