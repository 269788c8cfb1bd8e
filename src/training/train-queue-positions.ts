import type { Queue } from 'bullmq';
import type { Logger } from '../ops/logger.js';
import { PeriodicTask } from '../ops/periodic-task.js';
import type { ReplyOutbox } from '../queue/reply-outbox.js';
import { trainJobSchema } from '../queue/train-job.js';
import { renderReply } from '../replies/reply-catalogue.js';
import { trainingStatusReply } from './training-status-reply.js';

/**
 * Keeps the status message of every waiting `/retrain` showing its place in the `train` queue: every
 * trainer reads the waiting jobs now and then and posts a new position when one changed. Trainers
 * do not coordinate; the reply job id names the request and the position, so a position is posted
 * once however many trainers see it.
 */
export class TrainQueuePositions {
  /** Request id -> the position this trainer last posted. */
  readonly #posted = new Map<string, number>();
  readonly #task: PeriodicTask;

  constructor(
    private readonly queue: Queue,
    private readonly outbox: ReplyOutbox,
    logger: Logger,
    intervalMs: number,
  ) {
    this.#task = new PeriodicTask(
      () => this.check(),
      intervalMs,
      (error) => logger.debug({ err: error }, 'could not read the train queue positions'),
    );
  }

  start(): void {
    this.#task.start();
  }

  stop(): Promise<void> {
    return this.#task.stop();
  }

  /** Posts the position of each waiting request whose position changed since this trainer last looked. */
  async check(): Promise<void> {
    // Oldest first, the order trainers take them in.
    const waiting = await this.queue.getWaiting();
    const seen = new Set<string>();
    for (const [index, job] of waiting.entries()) {
      const parsed = trainJobSchema.safeParse(job.data);
      if (!parsed.success) continue;
      const data = parsed.data;
      const position = index + 1;
      seen.add(data.requestId);
      if (this.#posted.get(data.requestId) === position) continue;
      const text = renderReply('retrain.waiting', { position });
      await this.outbox.post(trainingStatusReply(data, { kind: 'waiting', position }, text));
      this.#posted.set(data.requestId, position);
    }
    for (const requestId of this.#posted.keys()) if (!seen.has(requestId)) this.#posted.delete(requestId);
  }
}
