import type { Queue } from 'bullmq';
import type { Logger } from '../ops/logger.js';
import type { ReplyOutbox } from '../queue/reply-outbox.js';
import { apologise } from './generation-processor.js';

/**
 * Makes sure a request that finally failed gets its apology even when the failure never reached the
 * processor (a job that stalled too often, a worker that died while posting the apology): every few
 * seconds, each failed `generate` job gets an apology unless it already has a reply, and is removed.
 */
export class FailedGenerationSweeper {
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;

  constructor(
    private readonly queue: Queue,
    private readonly outbox: ReplyOutbox,
    private readonly logger: Logger,
    private readonly everyMs = 5_000,
  ) {}

  start(): void {
    this.#timer = setInterval(() => void this.sweep(), this.everyMs);
    this.#timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.#timer);
    await this.#running;
  }

  /** One pass; resolves with the number of failed jobs handled. */
  async sweep(): Promise<number> {
    if (this.#running) return 0;
    let handled = 0;
    this.#running = (async () => {
      try {
        const failed = await this.queue.getFailed(0, 99);
        for (const job of failed) {
          if (!job?.id) continue;
          const status = await apologise({ outbox: this.outbox, logger: this.logger }, job, job.failedReason);
          if (status === 'error') continue;
          if (status === 'posted')
            this.logger.warn({ jobId: job.id, reason: job.failedReason }, 'failed request: apology sent');
          await job.remove();
          handled += 1;
        }
      } catch (error) {
        this.logger.debug({ err: error }, 'failure sweep skipped (Redis unavailable?)');
      }
    })();
    await this.#running;
    this.#running = undefined;
    return handled;
  }
}
