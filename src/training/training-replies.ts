import type { ReplyOutbox } from '../queue/reply-outbox.js';
import type { TrainJobData } from '../queue/train-job.js';
import { trainingStatusReply } from './training-status-reply.js';

/**
 * The states one run of a train job posts to its request's status message, numbered in order. `run`
 * counts the job's runs so far: a stalled job (its trainer was killed) runs again without a new
 * attempt, and its states must not reuse the ids (and so the dedupe) of the killed run's.
 */
export class TrainingReplies {
  #posted = 0;

  constructor(
    private readonly outbox: ReplyOutbox,
    private readonly data: TrainJobData,
    private readonly run: number,
  ) {}

  /** A progress state of `stage`. */
  progress(text: string, stage: string): Promise<boolean> {
    const step = { kind: 'progress', attempt: this.run, n: ++this.#posted, stage } as const;
    return this.outbox.post(trainingStatusReply(this.data, step, text));
  }

  /** The final state: a summary or a cancellation asked for, or (`failed`) an apology. */
  end(text: string, failed = true): Promise<boolean> {
    const step = { kind: 'end', attempt: this.run, n: ++this.#posted, failed } as const;
    return this.outbox.post(trainingStatusReply(this.data, step, text));
  }
}
