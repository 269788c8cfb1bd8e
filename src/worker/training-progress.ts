/** What a training run reports while it runs (from the child process to the trainer, then to the user). */
export type TrainingProgress =
  | { stage: 'collecting'; read: number }
  | { stage: 'reading'; done: number; total: number }
  | { stage: 'loading' }
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
  seconds: number;
}
