import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { ReplyAddress } from '../commands/reply-address.js';
import { replyJobOptions } from './generate-job-options.js';
import { replyJobId, replyQueueName } from './queue-names.js';
import { replyJobSchema, type ReplyJobData } from './reply-job.js';

/**
 * Where workers put finished answers (and apologies) for the bot processes to post. The reply job's id
 * is derived from the generate job's id, so whatever happens (a retried or stalled job generating
 * twice, a failure sweep racing a last attempt) a request gets at most one reply job.
 */
export class ReplyOutbox {
  readonly #queues = new Map<string, Queue>();

  constructor(
    private readonly connection: Redis,
    private readonly prefix: string,
  ) {}

  /** Adds the reply unless this request already has one; resolves `false` when it already had one. */
  async post(data: ReplyJobData): Promise<boolean> {
    const valid = replyJobSchema.parse(data);
    const id = replyJobId(valid.generateJobId);
    const queue = this.#queue(valid.address);
    if (await queue.getJob(id)) return false;
    await queue.add('reply', valid, { ...replyJobOptions, jobId: id });
    return true;
  }

  /** Whether `generateJobId` has been answered (or apologised for) already. */
  async has(address: ReplyAddress, generateJobId: string): Promise<boolean> {
    return (await this.#queue(address).getJob(replyJobId(generateJobId))) !== undefined;
  }

  async close(): Promise<void> {
    await Promise.all([...this.#queues.values()].map((q) => q.close()));
    this.#queues.clear();
  }

  #queue(address: ReplyAddress): Queue {
    const name = replyQueueName(address);
    let queue = this.#queues.get(name);
    if (!queue) {
      queue = new Queue(name, { connection: this.connection, prefix: this.prefix });
      queue.on('error', () => undefined);
      this.#queues.set(name, queue);
    }
    return queue;
  }
}
