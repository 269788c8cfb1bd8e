import type { Queue } from 'bullmq';
import type { Logger } from '../ops/logger.js';
import { PeriodicTask } from '../ops/periodic-task.js';
import type { ReplyOutbox } from '../queue/reply-outbox.js';
import { apologise } from './generation-processor.js';

/**
 * Makes sure a request that finally failed gets its apology even when the failure never reached the
 * processor (a job that stalled too often, a worker that died while posting the apology): every few
 * seconds, each failed `generate` job gets an apology unless it already has a reply, and is removed.
 */
export class FailedGenerationSweeper {
  readonly #task: PeriodicTask;

  constructor(
    private readonly queue: Queue,
    private readonly outbox: ReplyOutbox,
    private readonly logger: Logger,
    everyMs = 5_000,
  ) {
    this.#task = new PeriodicTask(
      () => this.sweep(),
      everyMs,
      (error) => this.logger.debug({ err: error }, 'failure sweep skipped (Redis unavailable?)'),
    );
  }

  start(): void {
    this.#task.start();
  }

  /** Waits for a pass in progress. */
  async stop(): Promise<void> {
    await this.#task.stop();
  }

  /** One pass over the failed jobs (Redis errors reject it). */
  private async sweep(): Promise<void> {
    const failed = await this.queue.getFailed(0, 99);
    for (const job of failed) {
      if (!job?.id) continue;
      const status = await apologise({ outbox: this.outbox, logger: this.logger }, job, job.failedReason);
      if (status === 'error') continue;
      if (status === 'posted')
        this.logger.warn({ jobId: job.id, reason: job.failedReason }, 'failed request: apology sent');
      await job.remove();
    }
  }
}
