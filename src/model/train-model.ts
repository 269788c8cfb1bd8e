/**
 * Trains an LSTM language model on a token stream: parallel stripes with the state carried across
 * batches (or reset per batch), Adam with global-norm clipping, a learning-rate schedule
 * (`learningRateAt`), optional variational dropout, a held-out tail of the stream for validation, and
 * the best weights by validation loss kept. A time budget is a hard limit: the run stops early enough
 * for its final validation (and the caller's evaluations it was told of) to end within it.
 */
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { Adam, adamDefaults } from './adam.js';
import { cloneParams } from './clone-params.js';
import { composedLstmGradients } from './composed-lstm-gradients.js';
import { evaluateModel, type Evaluation } from './evaluate-model.js';
import { lstmGradients, type LossAndGrads } from './lstm-gradients.js';
import { disposeDropoutMasks, dropoutMasks, noDropout, type DropoutRates } from './dropout-masks.js';
import { learningRateAt } from './learning-rate-at.js';
import { disposeParams, type LstmParams } from './lstm-params.js';
import { disposeLstmState, zeroLstmState } from './lstm-state.js';
import { nativeKernels } from './native-kernels.js';
import { StripeBatches } from './stripe-batches.js';
import type { TrainEvent } from './train-events.js';
import { TrainingError } from './training-error.js';

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
  /** Also validate every this many batches (0: only after each epoch and at the end). */
  validateEveryBatches: number;
  /** Carry the LSTM state from batch to batch along each stripe (false: start every batch from zeros). */
  carryState: boolean;
  /** Emit a `batch` event every this many batches. */
  progressEveryBatches: number;
  /** Differentiate composed ops with `tf.grads` even when the fused native kernels are there (tests). */
  composedGradients?: boolean;
  signal?: AbortSignal;
  onEvent?: (event: TrainEvent) => void;
  /** Told after each validation batch: batches done, batches in all. */
  onValidating?: (done: number, total: number) => void;
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
}

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

export interface TrainResult {
  /** The weights with the best validation loss (the caller owns them). */
  params: LstmParams;
  validation: Evaluation;
  /** Training tokens processed (inputs of all batches, over all epochs). */
  tokensSeen: number;
  /** Passes over the training part, fractional when stopped mid-epoch. */
  epochs: number;
  trainingMs: number;
  stoppedBy: 'epochs' | 'time-budget';
  /** Validation loss after each validation, in order. */
  history: { epoch: number; batch: number; trainLoss: number; validationLoss: number }[];
}

/**
 * Takes ownership of `params` (they are updated and finally disposed); returns the best weights.
 * Rejects with `TrainingError` (`CORPUS_TOO_SMALL`, `TRAINING_ABORTED`, `TRAINING_DIVERGED`).
 */
export async function trainModel(
  params: LstmParams,
  stream: Int32Array,
  options: Partial<TrainOptions> = {},
): Promise<TrainResult> {
  const o: TrainOptions = { ...trainDefaults, ...options };
  const splitAt = Math.floor(stream.length * (1 - o.validationFraction));
  const validation = stream.subarray(splitAt);
  const batches = StripeBatches.fit(stream.subarray(0, splitAt), o.batchSize, o.seqLength);
  if (batches.count === 0 || validation.length < 2) {
    disposeParams(params);
    throw new TrainingError('CORPUS_TOO_SMALL', `the corpus is too small to train on (${stream.length} tokens)`);
  }
  const gradients = nativeKernels && !o.composedGradients ? lstmGradients : composedLstmGradients;
  const adam = new Adam({ clipNorm: o.clipNorm });
  const started = performance.now();
  const elapsed = (): number => performance.now() - started + (o.startAt?.trainingMs ?? 0);
  const totalBatches = batches.count * o.epochs;
  const history: TrainResult['history'] = [];
  let best: { params: LstmParams; evaluation: Evaluation } | undefined;
  let state = zeroLstmState(params.config, batches.batchSize);
  let done = Math.min(totalBatches, Math.max(0, Math.round((o.startAt?.epochs ?? 0) * batches.count)));
  const firstEpoch = 1 + Math.floor(done / batches.count);
  const firstBatch = done % batches.count;
  let stoppedBy: TrainResult['stoppedBy'] = 'epochs';
  let windowLoss = 0;
  let windowBatches = 0;
  let sinceValidationLoss = 0;
  let sinceValidationBatches = 0;
  let windowStarted = performance.now();
  let windowTokens = 0;
  const startDone = done;
  /** `done` at the last validation: a stop right after one needs no other. */
  let validatedAt = -1;
  // Cost estimates for the time budget: the slowest of the recent batches, and a validation (with
  // its checkpoint) per token, measured; before the first one, a forward pass at half a batch's cost.
  // The stop test leaves them a margin (x1.5, x1.25) for a machine whose load changes.
  const recentBatchMs: number[] = [];
  let validationMsPerToken = o.evaluationMsPerToken;
  const batchMs = (): number => Math.max(0, ...recentBatchMs);
  const validationMs = (tokens: number): number =>
    tokens * (validationMsPerToken ?? batchMs() / 2 / (batches.batchSize * batches.seqLength));
  const reservedMs = (): number => validationMs(validation.length + o.reserveEvaluationTokens);
  // A validation still running at the end of the budget is measured on the batches it reached.
  const budgetEnd = o.timeBudgetMs === undefined ? undefined : started + o.timeBudgetMs - (o.startAt?.trainingMs ?? 0);

  const validate = async (epoch: number, batch: number): Promise<void> => {
    const validationStarted = performance.now();
    validatedAt = done;
    const evaluation = evaluateModel(params, validation, {
      batchSize: o.batchSize,
      seqLength: o.seqLength,
      stopAt: budgetEnd,
      onProgress: o.onValidating,
    });
    if (!Number.isFinite(evaluation.loss))
      throw new TrainingError('TRAINING_DIVERGED', 'validation loss is not finite');
    const isBest = !best || evaluation.loss < best.evaluation.loss;
    if (isBest) {
      if (best) disposeParams(best.params);
      best = { params: cloneParams(params), evaluation };
    }
    const trainLoss = sinceValidationBatches > 0 ? sinceValidationLoss / sinceValidationBatches : NaN;
    history.push({ epoch, batch, trainLoss, validationLoss: evaluation.loss });
    sinceValidationLoss = 0;
    sinceValidationBatches = 0;
    o.onEvent?.({ type: 'validation', epoch, batch, ...evaluation, best: isBest, elapsedMs: elapsed() });
    if (isBest && o.onBest) {
      const tokensSeen = done * batches.batchSize * batches.seqLength;
      await o.onBest({
        params: best!.params,
        validation: evaluation,
        tokensSeen,
        epochs: done / batches.count,
        trainingMs: elapsed(),
      });
    }
    const perToken = (performance.now() - validationStarted) / Math.max(1, evaluation.tokens);
    validationMsPerToken = Math.max(perToken, validationMsPerToken ?? 0);
  };

  try {
    training: for (let epoch = firstEpoch; epoch <= o.epochs; epoch++) {
      for (let b = epoch === firstEpoch ? firstBatch : 0; b < batches.count; b++) {
        if (o.signal?.aborted) throw new TrainingError('TRAINING_ABORTED', 'training was cancelled');
        if (
          o.timeBudgetMs !== undefined &&
          done > startDone &&
          elapsed() + 1.5 * batchMs() + 1.25 * reservedMs() >= o.timeBudgetMs
        ) {
          stoppedBy = 'time-budget';
          if (validatedAt !== done) await validate(epoch, b);
          break training;
        }
        const usable = o.timeBudgetMs === undefined ? undefined : o.timeBudgetMs - reservedMs();
        const progress = Math.max(done / totalBatches, usable ? elapsed() / Math.max(1, usable) : 0);
        const learningRate = learningRateAt(progress, o);
        if (!o.carryState && b > 0) {
          disposeLstmState(state);
          state = zeroLstmState(params.config, batches.batchSize);
        }
        const batchStarted = performance.now();
        const masks = dropoutMasks(params.config, batches.batchSize, o.dropout, o.seed * 1_000_003 + done);
        const result: LossAndGrads = gradients(params, batches.batch(b), state, masks);
        disposeDropoutMasks(masks);
        const loss = result.loss.dataSync()[0]!;
        result.loss.dispose();
        disposeLstmState(state);
        state = result.state;
        adam.apply(params, result.grads, learningRate);
        disposeGrads(result);
        // The first batch of a run also warms TensorFlow up: it is not timed.
        if (done > startDone) recentBatchMs.push(performance.now() - batchStarted);
        if (recentBatchMs.length > 20) recentBatchMs.shift();
        if (!Number.isFinite(loss)) throw new TrainingError('TRAINING_DIVERGED', `training loss became ${loss}`);
        done += 1;
        windowLoss += loss;
        windowBatches += 1;
        windowTokens += batches.batchSize * batches.seqLength;
        sinceValidationLoss += loss;
        sinceValidationBatches += 1;

        if (done % o.progressEveryBatches === 0 || b === batches.count - 1) {
          const now = performance.now();
          const tokensPerSecond = (windowTokens * 1000) / Math.max(1, now - windowStarted);
          const perBatchMs = elapsed() / done;
          let etaMs = (totalBatches - done) * perBatchMs;
          if (o.timeBudgetMs) etaMs = Math.min(etaMs, Math.max(0, o.timeBudgetMs - elapsed()));
          o.onEvent?.({
            type: 'batch',
            epoch,
            epochs: o.epochs,
            batch: b + 1,
            batches: batches.count,
            loss: windowLoss / windowBatches,
            learningRate,
            tokensPerSecond,
            etaMs,
          });
          windowLoss = 0;
          windowBatches = 0;
          windowTokens = 0;
          windowStarted = now;
          await yieldToEventLoop();
        }
        if (o.validateEveryBatches > 0 && done % o.validateEveryBatches === 0 && b !== batches.count - 1) {
          await validate(epoch, b + 1);
        }
      }
      await validate(epoch, batches.count);
      disposeLstmState(state);
      state = zeroLstmState(params.config, batches.batchSize);
    }
    // Resumed from a checkpoint of a run that had no batch left: its weights, validated once.
    if (!best) await validate(o.epochs, batches.count);
    const result = best!;
    best = undefined;
    return {
      params: result.params,
      validation: result.evaluation,
      tokensSeen: done * batches.batchSize * batches.seqLength,
      epochs: done / batches.count,
      trainingMs: elapsed(),
      stoppedBy,
      history,
    };
  } finally {
    disposeLstmState(state);
    adam.dispose();
    disposeParams(params);
    if (best) disposeParams(best.params);
  }
}

function disposeGrads({ grads }: LossAndGrads): void {
  grads.embedding.dispose();
  grads.outputKernel.dispose();
  grads.outputBias.dispose();
  for (const layer of grads.layers) {
    layer.kernel.dispose();
    layer.bias.dispose();
  }
}
