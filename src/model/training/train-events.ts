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
  /** True when this is the best validation loss so far (those weights are kept). */
  best: boolean;
  elapsedMs: number;
}
