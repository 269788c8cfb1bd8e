/**
 * Trains an LSTM language model on a token stream: parallel stripes with the state carried across
 * batches (or reset per batch), Adam with global-norm clipping and a cosine learning-rate decay, a
 * held-out tail of the stream for validation, and the best weights by validation loss kept.
 */
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { Adam, adamDefaults } from './adam.js';
import { cloneParams } from './clone-params.js';
import { composedLstmGradients } from './composed-lstm-gradients.js';
import { evaluateModel, type Evaluation } from './evaluate-model.js';
import { lstmGradients, type LossAndGrads } from './lstm-gradients.js';
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
   * Stop after this much wall-clock time, validations included: training stops early enough for the
   * final validation to fit (its time is estimated, then measured), and a validation that would run
   * past the budget is measured on the batches it reached. Undefined: no limit.
   */
  timeBudgetMs?: number;
  learningRate: number;
  /** Cosine decay from `learningRate` to `learningRate * finalLearningRateFactor` over the run (1: constant). */
  finalLearningRateFactor: number;
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

/** Most of the time budget kept back for the final validation. */
const MAX_VALIDATION_SHARE = 0.25;

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
  // The final validation must fit in the time budget: reserve what it costs (estimated from a training
  // batch, of which a validation batch is the cheaper forward part, until a validation measured it),
  // but at most a quarter of the budget: a validation that needs more is measured on the batches it
  // reaches by the end of the budget.
  const validationBatches = StripeBatches.fit(validation, o.batchSize, o.seqLength).count;
  let validationMsPerBatch: number | undefined;
  let trainingMsPerBatch = 0;
  let batchesTimed = 0;
  const validationReserveMs = (): number =>
    Math.min(
      (o.timeBudgetMs ?? 0) * MAX_VALIDATION_SHARE,
      validationBatches * (validationMsPerBatch ?? trainingMsPerBatch * 0.5),
    );
  const budgetEnd = o.timeBudgetMs === undefined ? undefined : started + o.timeBudgetMs - (o.startAt?.trainingMs ?? 0);

  const validate = async (epoch: number, batch: number): Promise<void> => {
    const validationStarted = performance.now();
    let validated = 0;
    const evaluation = evaluateModel(params, validation, {
      batchSize: o.batchSize,
      seqLength: o.seqLength,
      stopAt: budgetEnd,
      onProgress: (done, total) => {
        validated = done;
        o.onValidating?.(done, total);
      },
    });
    validationMsPerBatch = (performance.now() - validationStarted) / Math.max(1, validated);
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
  };

  try {
    training: for (let epoch = firstEpoch; epoch <= o.epochs; epoch++) {
      // The previous epoch's validation used up the budget: its weights are validated, stop here.
      if (epoch > firstEpoch && o.timeBudgetMs !== undefined && elapsed() + validationReserveMs() >= o.timeBudgetMs) {
        stoppedBy = 'time-budget';
        break;
      }
      for (let b = epoch === firstEpoch ? firstBatch : 0; b < batches.count; b++) {
        if (o.signal?.aborted) throw new TrainingError('TRAINING_ABORTED', 'training was cancelled');
        const progress = Math.max(done / totalBatches, o.timeBudgetMs ? elapsed() / o.timeBudgetMs : 0);
        const learningRate =
          o.learningRate *
          (o.finalLearningRateFactor +
            (1 - o.finalLearningRateFactor) * 0.5 * (1 + Math.cos(Math.PI * Math.min(1, progress))));
        if (!o.carryState && b > 0) {
          disposeLstmState(state);
          state = zeroLstmState(params.config, batches.batchSize);
        }
        const batchStarted = performance.now();
        const result: LossAndGrads = gradients(params, batches.batch(b), state);
        const loss = result.loss.dataSync()[0]!;
        result.loss.dispose();
        disposeLstmState(state);
        state = result.state;
        adam.apply(params, result.grads, learningRate);
        disposeGrads(result);
        if (!Number.isFinite(loss)) throw new TrainingError('TRAINING_DIVERGED', `training loss became ${loss}`);
        // The first batch of a run also warms TensorFlow up: it is not timed.
        const batchMs = performance.now() - batchStarted;
        if (batchesTimed++ > 0) {
          trainingMsPerBatch = batchesTimed === 2 ? batchMs : 0.9 * trainingMsPerBatch + 0.1 * batchMs;
        }
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
        const overBudget = o.timeBudgetMs !== undefined && elapsed() + validationReserveMs() >= o.timeBudgetMs;
        if (overBudget) {
          stoppedBy = 'time-budget';
          await validate(epoch, b + 1);
          break training;
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
