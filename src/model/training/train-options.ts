import type { HiddenStates } from '../evaluation/target-probabilities.js';
import type { OutputPrecision } from '../lstm/output-precision.js';
import type { DropoutRates } from '../lstm/dropout-masks.js';
import type { Evaluation } from '../evaluation/evaluate-model.js';
import type { LstmParams } from '../lstm/lstm-params.js';
import type { TrainEvent } from './train-events.js';

export interface TrainOptions {
  batchSize: number;
  seqLength: number;
  /** Most passes over the training part of the stream. */
  epochs: number;
  /**
   * Wall-clock limit of the whole run, final validation included (undefined: none): no batch starts
   * that could not be followed by the final validation within it, and a validation that would still
   * run past it is measured on the batches it reached. At least one batch runs.
   */
  timeBudgetMs?: number;
  /**
   * Tokens the caller will evaluate right after the run (e.g. a held-out set): their time, at the
   * measured validation speed, is kept free within `timeBudgetMs`.
   */
  reserveEvaluationTokens: number;
  /** What evaluating a token costs (ms), if the caller measured it: the estimate until a validation is timed. */
  evaluationMsPerToken?: number;
  learningRate: number;
  /** The schedule's floor, as a share of `learningRate` (1: constant); see `learningRateAt`. */
  finalLearningRateFactor: number;
  /** Share of the run spent warming the learning rate up from the floor (0: none). */
  warmupFraction: number;
  /** Shape of the fall from `learningRate` to the floor. */
  decay: 'cosine' | 'linear';
  /** Variational dropout while training (evaluation never drops). */
  dropout: DropoutRates;
  /** Seed of the dropout masks. */
  seed: number;
  clipNorm: number;
  /** Share of the stream, at its end, held out for validation. */
  validationFraction: number;
  /** Where in the stream validation starts, when the caller split it (e.g. each corpus's tail); overrides `validationFraction`. */
  validationStart?: number;
  /** Also validate every this many batches (0: only after each epoch and at the end). */
  validateEveryBatches: number;
  /** Carry the LSTM state from batch to batch along each stripe (false: start every batch from zeros). */
  carryState: boolean;
  /** Emit a `batch` event every this many batches. */
  progressEveryBatches: number;
  /**
   * The output layer's products in training: `mixed` (bfloat16 operands, float32 weights and
   * softmax) or `float32` (`trainModel`'s default: `defaultTrainPrecision()`). Validation and
   * evaluation are always float32, and the composed-ops path (the JavaScript backend) float32.
   */
  precision: OutputPrecision;
  /**
   * Average the weights from this share of the run on (0..1; undefined: no averaging): validations
   * measure the mean too and keep whichever is better (`weight-average.ts`).
   */
  averageFrom?: number;
  /** Differentiate composed ops with `tf.grads` even when the fused native kernels are there (tests). */
  composedGradients?: boolean;
  signal?: AbortSignal;
  onEvent?: (event: TrainEvent) => void;
  /** Told after each validation batch: batches done, batches in all. */
  onValidating?: (done: number, total: number) => void;
  /**
   * Keep the top layer's hidden states of the validation that chose the weights (`validationTargets.hidden`),
   * for the caller to fit a continuous cache on; a fine-tune's split is small, a base model's is not.
   */
  validationHidden?: boolean;
  /**
   * Called (and awaited) with the new best weights after each improving validation, e.g. to save a
   * checkpoint; `params` are only valid during the call.
   */
  onBest?: (best: BestSoFar) => Promise<void>;
  /**
   * Resume a run from a checkpoint of it (`params` are then its weights): the batches of `epochs`
   * (fractional, as in `BestSoFar`) count as done and are skipped, `trainingMs` counts as time used.
   */
  startAt?: { epochs: number; trainingMs: number };
}

/** The best weights so far and what is known of the run at that point. */
export interface BestSoFar {
  params: LstmParams;
  validation: Evaluation;
  tokensSeen: number;
  epochs: number;
  trainingMs: number;
  /** The precision the run trained with (float32 on the composed-ops path). */
  precision: OutputPrecision;
  /** When the weights are a mean (`averageFrom`): of how many steps' weights. */
  averagedSteps?: number;
}

export interface TrainResult {
  /** The weights with the best validation loss (the caller owns them). */
  params: LstmParams;
  validation: Evaluation;
  /**
   * Each scored target's probability under the returned weights, from the validation that chose them
   * (all of the validation split's scored positions, or those it reached when the budget cut it short).
   */
  validationTargets: { probabilities: Float64Array; positions: Int32Array; hidden?: HiddenStates };
  /** Training tokens processed (inputs of all batches, over all epochs). */
  tokensSeen: number;
  /** Passes over the training part, fractional when stopped mid-epoch. */
  epochs: number;
  trainingMs: number;
  stoppedBy: 'epochs' | 'time-budget';
  precision: OutputPrecision;
  /** Validation loss after each validation, in order. */
  history: { epoch: number; batch: number; trainLoss: number; validationLoss: number }[];
  /** When the weights returned are a mean (`averageFrom`): of how many steps' weights. */
  averagedSteps?: number;
}
