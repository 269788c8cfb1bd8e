/**
 * Trains an LSTM language model on a token stream: parallel stripes with the state carried across
 * batches (or reset per batch), Adam with global-norm clipping, a learning-rate schedule
 * (`learningRateAt`), optional variational dropout, a held-out tail of the stream for validation, and
 * the best weights by validation loss kept. A time budget is a hard limit: the run stops early enough
 * for its final validation (and the caller's evaluations it was told of) to end within it.
 */
import { CodedError } from '../../errors/coded-error.js';
import { adamDefaults } from './adam.js';
import { noDropout } from '../lstm/dropout-masks.js';
import { disposeParams, type LstmParams } from '../lstm/lstm-params.js';
import { StripeBatches } from '../lstm/stripe-batches.js';
import type { TrainOptions, TrainResult } from './train-options.js';
import { defaultTrainPrecision } from '../lstm/output-precision.js';
import { TrainingRun } from './training-run.js';

export type { BestSoFar, TrainOptions, TrainResult } from './train-options.js';

export const trainDefaults = {
  batchSize: 64,
  seqLength: 32,
  epochs: 10,
  learningRate: adamDefaults.learningRate,
  finalLearningRateFactor: 0.1,
  warmupFraction: 0,
  decay: 'cosine',
  dropout: noDropout,
  seed: 1,
  reserveEvaluationTokens: 0,
  clipNorm: adamDefaults.clipNorm,
  validationFraction: 0.05,
  validateEveryBatches: 0,
  carryState: true,
  progressEveryBatches: 20,
} as const satisfies Partial<TrainOptions>;

/**
 * Takes ownership of `params` (they are updated and finally disposed); returns the best weights.
 * Rejects with a `CodedError` (`CORPUS_TOO_SMALL`, `TRAINING_ABORTED`, `TRAINING_DIVERGED`).
 */
export async function trainModel(
  params: LstmParams,
  stream: Int32Array,
  options: Partial<TrainOptions> = {},
): Promise<TrainResult> {
  // Last, so that an explicit `precision: undefined` also gets the default.
  const settings: TrainOptions = {
    ...trainDefaults,
    ...options,
    precision: options.precision ?? defaultTrainPrecision(),
  };
  const splitAt = settings.validationStart ?? Math.floor(stream.length * (1 - settings.validationFraction));
  const validation = stream.subarray(splitAt);
  const batches = StripeBatches.fit(stream.subarray(0, splitAt), settings.batchSize, settings.seqLength);
  if (batches.count === 0 || validation.length < 2) {
    disposeParams(params);
    throw new CodedError('CORPUS_TOO_SMALL', `the corpus is too small to train on (${stream.length} tokens)`);
  }
  const run = new TrainingRun(params, validation, batches, settings);
  try {
    return await run.train();
  } finally {
    run.dispose();
  }
}
