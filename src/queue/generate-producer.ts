import { randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { GenerationQueue } from '../commands/generation-queue.js';
import { generateJobSchema, type GenerateJobData } from './generate-job.js';
import { generateJobOptions } from './generate-job-options.js';
import { failAsUnavailable } from './fail-as-unavailable.js';
import { GENERATE_QUEUE, replyQueueName } from './queue-names.js';
import { UserRequests } from './user-requests.js';
import { CodedError } from '../errors/coded-error.js';

/** The producer side of the `generate` queue; give it a fail-fast connection (`createFailFastRedis`). */
export class GenerateProducer implements GenerationQueue {
  readonly queue: Queue;
  readonly #requests: UserRequests;

  constructor(connection: Redis, prefix: string, options: { attempts?: number } = {}) {
    this.#requests = new UserRequests(connection, prefix);
    this.queue = new Queue(GENERATE_QUEUE, {
      connection,
      prefix,
      defaultJobOptions: { ...generateJobOptions, attempts: options.attempts ?? generateJobOptions.attempts },
    });
    this.queue.on('error', () => undefined);
  }

  async enqueue(data: GenerateJobData, { signal }: { signal?: AbortSignal } = {}): Promise<string> {
    const valid = generateJobSchema.parse(data);
    // A job id of its own, never BullMQ's counter: a Redis that restarts empty counts from 1 again, and
    // a worker still holding the old job 37 would answer it into the new Redis as "reply-37", where the
    // new job 37 would then find itself answered (and Discord's nonce, made from that id, would hand
    // back the old message): the new request would get nothing.
    const job = await failAsUnavailable(() => this.queue.add('continue', valid, { jobId: randomUUID() }));
    const id = job.id ?? '';
    if (signal?.aborted) {
      // Added after the caller's deadline: the user was told "unavailable", so the job must not run.
      await job.remove().catch(() => undefined);
      throw new CodedError('SERVICE_UNAVAILABLE', `job ${id} added after the deadline, removed`);
    }
    // For `/forget me` and `/forget channel`. The request is queued whatever happens here: a Redis failure now costs only
    // the index entry (the job's prompt then lives its hour unscrubbed), not the user's answer.
    const request = { id, replies: replyQueueName(valid.replyTo), workspace: valid.channel.workspace };
    await Promise.all([
      this.#requests.record(valid.channel.platform, valid.userId, request),
      this.#requests.recordChannel(valid.channel, request), // for `/forget channel`
    ]).catch(() => undefined);
    return id;
  }

  /** Jobs not yet finished: waiting, delayed for a retry, or being generated. */
  async depth(): Promise<number> {
    const counts = await failAsUnavailable(() => this.queue.getJobCounts('wait', 'prioritized', 'delayed', 'active'));
    return Object.values(counts).reduce((sum, n) => sum + n, 0);
  }

  close(): Promise<void> {
    return this.queue.close();
  }
}
