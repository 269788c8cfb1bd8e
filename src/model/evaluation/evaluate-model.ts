/**
 * Cross-entropy and perplexity of a model on a token stream, read in parallel stripes with the LSTM
 * state carried from batch to batch (as in training).
 */
import type { LstmParams } from '../lstm/lstm-params.js';
import { disposeLstmState, zeroLstmState } from '../lstm/lstm-state.js';
import { sequenceLoss } from '../lstm/sequence-loss.js';
import { StripeBatches } from '../lstm/stripe-batches.js';

export interface Evaluation {
  /** Mean cross-entropy per predicted token, in nats. */
  loss: number;
  perplexity: number;
  /** Tokens predicted. */
  tokens: number;
}

export interface EvaluateOptions {
  batchSize?: number;
  seqLength?: number;
  /** Told after each batch: batches done, batches in all. */
  onProgress?: (done: number, total: number) => void;
  /**
   * `performance.now()` time after which no new batch starts (at least one runs): the result is then
   * measured on the batches done, an even sample of the stream since each batch spans every stripe.
   */
  stopAt?: number;
}

export const evaluateDefaults = { batchSize: 64, seqLength: 32 } as const satisfies EvaluateOptions;

/** Scores the positions `scoredPositions(stream, batchSize, seqLength)` lists. */
export function evaluateModel(params: LstmParams, stream: Int32Array, options: EvaluateOptions = {}): Evaluation {
  if (stream.length < 2) throw new Error('cannot evaluate on fewer than 2 tokens');
  const { batchSize, seqLength } = { ...evaluateDefaults, ...options };
  const batches = StripeBatches.fit(stream, batchSize, seqLength);
  let state = zeroLstmState(params.config, batches.batchSize);
  let lossSum = 0;
  let done = 0;
  try {
    while (done < batches.count && !(done > 0 && options.stopAt !== undefined && performance.now() >= options.stopAt)) {
      const result = sequenceLoss(params, batches.batch(done), state);
      disposeLstmState(state);
      state = result.state;
      lossSum += result.lossSum;
      done += 1;
      options.onProgress?.(done, batches.count);
    }
  } finally {
    disposeLstmState(state);
  }
  const tokens = done * batches.batchSize * batches.seqLength;
  const loss = lossSum / tokens;
  return { loss, perplexity: Math.exp(loss), tokens };
}
