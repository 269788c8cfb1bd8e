/** What a training run reports while it runs (from the child process to the trainer, then to the user). */
export type TrainingProgress =
  | { stage: 'collecting'; read: number }
  | { stage: 'reading'; done: number; total: number }
  | { stage: 'loading' }
  /** Went on from the checkpoint an earlier attempt of the job left (a trainer was killed). */
  | { stage: 'resumed'; epochs: number; tokensSeen: number }
  | {
      stage: 'training';
      epoch: number;
      epochs: number;
      batch: number;
      batches: number;
      loss: number;
      etaMs: number;
    }
  | { stage: 'evaluating' }
  | { stage: 'publishing' };

/** The outcome of a training run. */
export interface TrainingSummary {
  published: boolean;
  /** The new version's id when published. */
  version?: string;
  messagesUsed: number;
  heldOutMessages: number;
  wordsAdded: number;
  /** A few of the added words (for the summary line; never logged). */
  sampleWords: string[];
  perplexityBase: number;
  perplexityFineTuned: number;
  /**
   * The fine-tuned model mixed with the channel's n-gram and, when its weight is above 0, the cache of
   * the preceding tokens (what it samples from), on the same positions.
   */
  perplexityMixture?: number;
  seconds: number;
  /** Where the run went on from, when it resumed an earlier attempt's checkpoint. */
  resumedFrom?: { epochs: number; tokensSeen: number };
}
