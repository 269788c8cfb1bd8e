import { Worker, UnrecoverableError, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { ReplySender } from '../commands/reply-address.js';
import type { Logger } from '../ops/logger.js';
import type { Metrics } from '../ops/metrics.js';
import { replyJobSchema, type ReplyJobData } from './reply-job.js';

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
 */
export class ReplyDelivery {
  readonly #workers: Worker[];

  constructor(private readonly options: ReplyDeliveryOptions) {
    this.#workers = options.routes.map((route) => {
      const worker = new Worker(route.queue, (job) => this.#post(route.sender, job), {
        connection: options.connection,
        prefix: options.prefix,
        concurrency: 16,
      });
      worker.on('error', (error) => options.logger.warn({ err: error, queue: route.queue }, 'reply worker error'));
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
    await sender.send(data.address, data.reply);
    this.options.metrics?.repliesPosted.inc({ platform: data.address.platform, outcome: data.outcome });
    this.options.logger.debug({ jobId: data.generateJobId, platform: data.address.platform }, 'reply posted');
    this.options.onPosted?.(data);
  }
}
