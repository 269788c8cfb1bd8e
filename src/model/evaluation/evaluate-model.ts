/**
 * Cross-entropy and perplexity of a model on a token stream, read in parallel stripes with the LSTM
 * state carried from batch to batch (as in training), each stripe from the state after `<eos>`
 * (`messageStartState`).
 */
import type { LstmParams } from '../lstm/lstm-params.js';
import { disposeLstmState, messageStartState, type LstmState } from '../lstm/lstm-state.js';
import { sequenceLoss } from '../lstm/sequence-loss.js';
import { StripeBatches } from '../lstm/stripe-batches.js';
import type { TrainBatch } from '../lstm/train-batch.js';
import { EOS_ID } from '../text/special-tokens.js';

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
  let lossSum = 0;
  let tokens = 0;
  readStripes(params, stream, options, (batch, state) => {
    const result = sequenceLoss(params, batch, state);
    lossSum += result.lossSum;
    tokens += batch.batchSize * batch.seqLength;
    return result.state;
  });
  const loss = lossSum / tokens;
  return { loss, perplexity: Math.exp(loss), tokens };
}

/**
 * Reads `stream` as an evaluation reads it: its batches in parallel stripes (`StripeBatches.fit`), the
 * whole ones and then the shorter `tail`, the LSTM state carried from one to the next, until every batch
 * is done or `options.stopAt` has passed (at least one runs), each batch told to `onProgress`. `step`
 * scores a batch from the state before it and returns the state after it (this function disposes of
 * both); it is also given the stripes and whether the batch is the last one. Returns the stripes and
 * how many batches were done.
 */
export function readStripes(
  params: LstmParams,
  stream: Int32Array,
  options: EvaluateOptions,
  step: (batch: TrainBatch, state: LstmState, batches: StripeBatches, last: boolean) => LstmState,
): { batches: StripeBatches; done: number } {
  const { batchSize, seqLength } = { ...evaluateDefaults, ...options };
  const batches = StripeBatches.fit(stream, batchSize, seqLength);
  const tail = batches.tail();
  const total = batches.count + (tail ? 1 : 0);
  let state = messageStartState(params, batches.batchSize, EOS_ID);
  let done = 0;
  try {
    while (done < total && !(done > 0 && options.stopAt !== undefined && performance.now() >= options.stopAt)) {
      const batch = done < batches.count ? batches.batch(done) : tail!;
      const next = step(batch, state, batches, done === total - 1);
      disposeLstmState(state);
      state = next;
      done += 1;
      options.onProgress?.(done, total);
    }
  } finally {
    disposeLstmState(state);
  }
  return { batches, done };
}
