/** What `trainModel` reports while it runs (the library emits; the application decides what to log). */
export type TrainEvent = BatchEvent | ValidationEvent;

export interface BatchEvent {
  type: 'batch';
  /** 1-based epoch and batch within it. */
  epoch: number;
  epochs: number;
  batch: number;
  batches: number;
  /** Mean training cross-entropy (nats per token) over the batches since the last batch event. */
  loss: number;
  learningRate: number;
  tokensPerSecond: number;
  /** Estimated time to the end of training (epochs or time budget, whichever comes first). */
  etaMs: number;
}

export interface ValidationEvent {
  type: 'validation';
  epoch: number;
  batch: number;
  loss: number;
  perplexity: number;
  /**
   * When the run averages its weights (`TrainOptions.averageFrom`): the mean of the last `steps` steps'
   * weights and the last weights, each with its perplexity, and whether the mean scored better (the
   * loss and perplexity above are then the mean's, and the mean is what a best keeps).
   */
  average?: { steps: number; meanPerplexity: number; lastPerplexity: number; meanKept: boolean };
  /** True when this is the best validation loss so far (those weights are kept). */
  best: boolean;
  elapsedMs: number;
}
