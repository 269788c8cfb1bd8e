import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { CodedError } from '../../errors/coded-error.js';
import { Adam } from './adam.js';
import { cloneParams } from '../lstm/clone-params.js';
import { composedLstmGradients } from '../lstm/composed-lstm-gradients.js';
import { disposeDropoutMasks, dropoutMasks } from '../lstm/dropout-masks.js';
import type { Evaluation } from '../evaluation/evaluate-model.js';
import { evaluateTargets, type TargetEvaluation } from '../evaluation/target-probabilities.js';
import { learningRateAt } from './learning-rate-at.js';
import { disposeGrads, lstmGradients, type LossAndGrads } from '../lstm/lstm-gradients.js';
import { disposeParams, type LstmParams } from '../lstm/lstm-params.js';
import { disposeLstmState, messageStartState, type LstmState } from '../lstm/lstm-state.js';
import { EOS_ID } from '../text/special-tokens.js';
import { nativeKernels } from '../lstm/native-kernels.js';
import type { OutputPrecision } from '../lstm/output-precision.js';
import type { StripeBatches } from '../lstm/stripe-batches.js';
import type { TrainOptions, TrainResult } from './train-options.js';
import type { ValidationEvent } from './train-events.js';
import { TrainLossMeter } from './train-loss-meter.js';
import { TrainTimeBudget } from './train-time-budget.js';
import { WeightAverage } from './weight-average.js';

/**
 * The state of one `trainModel` run, its steps as methods: epochs of batches, progress events,
 * validations that keep the best weights, and the time budget's stop. Owns `params` and everything
 * it allocates until `dispose()`.
 */
export class TrainingRun {
  readonly #gradients: typeof lstmGradients;
  readonly #precision: OutputPrecision;
  readonly #adam: Adam;
  readonly #budget: TrainTimeBudget;
  readonly #losses = new TrainLossMeter();
  readonly #history: TrainResult['history'] = [];
  readonly #totalBatches: number;
  readonly #startDone: number;
  #state: LstmState;
  #best: { params: LstmParams; evaluation: TargetEvaluation; averagedSteps?: number } | undefined;
  /** The mean of the weights since `averageFrom` of the run (`weight-average.ts`). */
  #average: WeightAverage | undefined;
  /** Batches done over all epochs (a resumed run starts after those of its checkpoint). */
  #done: number;
  /** `#done` at the last validation: a stop right after one needs no other. */
  #validatedAt = -1;
  #stoppedBy: TrainResult['stoppedBy'] = 'epochs';

  constructor(
    private readonly params: LstmParams,
    private readonly validation: Int32Array,
    private readonly batches: StripeBatches,
    private readonly options: TrainOptions,
  ) {
    const native = nativeKernels !== undefined && !options.composedGradients;
    this.#gradients = native ? lstmGradients : composedLstmGradients;
    this.#precision = native ? options.precision : 'float32';
    this.#adam = new Adam({ clipNorm: options.clipNorm });
    this.#budget = new TrainTimeBudget(
      options,
      this.#tokensPerBatch,
      // An averaging run validates twice at the end: the last weights and their mean.
      (options.averageFrom === undefined ? 1 : 2) * validation.length + options.reserveEvaluationTokens,
    );
    this.#totalBatches = batches.count * options.epochs;
    this.#state = messageStartState(params, batches.batchSize, EOS_ID);
    this.#done = Math.min(this.#totalBatches, Math.max(0, Math.round((options.startAt?.epochs ?? 0) * batches.count)));
    this.#startDone = this.#done;
  }

  get #tokensPerBatch(): number {
    return this.batches.batchSize * this.batches.seqLength;
  }

  /** Trains until the epochs are done, the budget is spent, or the signal aborts; returns the best weights. */
  async train(): Promise<TrainResult> {
    const firstEpoch = 1 + Math.floor(this.#done / this.batches.count);
    const firstBatch = this.#done % this.batches.count;
    for (let epoch = firstEpoch; epoch <= this.options.epochs; epoch++) {
      if ((await this.#epoch(epoch, epoch === firstEpoch ? firstBatch : 0)) === 'stopped') break;
    }
    // Resumed from a checkpoint of a run that had no batch left: its weights, validated once.
    if (!this.#best) await this.#validate(this.options.epochs, this.batches.count);
    const best = this.#best!;
    this.#best = undefined;
    const { probabilities, positions, hidden, ...validation } = best.evaluation;
    return {
      params: best.params,
      validation,
      validationTargets: { probabilities, positions, ...(hidden && { hidden }) },
      tokensSeen: this.#done * this.#tokensPerBatch,
      epochs: this.#done / this.batches.count,
      trainingMs: this.#budget.elapsed(),
      stoppedBy: this.#stoppedBy,
      precision: this.#precision,
      history: this.#history,
      ...(best.averagedSteps && { averagedSteps: best.averagedSteps }),
    };
  }

  dispose(): void {
    disposeLstmState(this.#state);
    this.#adam.dispose();
    disposeParams(this.params);
    if (this.#best) disposeParams(this.#best.params);
    this.#average?.dispose();
  }

  async #epoch(epoch: number, firstBatch: number): Promise<'stopped' | 'done'> {
    const { batches, options: o } = this;
    for (let b = firstBatch; b < batches.count; b++) {
      if (o.signal?.aborted) throw new CodedError('TRAINING_ABORTED', 'training was cancelled');
      if (this.#done > this.#startDone && this.#budget.exhausted()) {
        this.#stoppedBy = 'time-budget';
        if (this.#validatedAt !== this.#done) await this.#validate(epoch, b);
        return 'stopped';
      }
      const learningRate = learningRateAt(this.#budget.progress(this.#done, this.#totalBatches), o);
      if (!o.carryState && b > 0) this.#resetState();
      this.#losses.add(this.#trainBatch(b, learningRate), this.#tokensPerBatch);
      if (this.#done % o.progressEveryBatches === 0 || b === batches.count - 1) {
        this.#reportProgress(epoch, b, learningRate);
        await yieldToEventLoop();
      }
      if (this.#validatesAfter(b)) await this.#validate(epoch, b + 1);
    }
    await this.#validate(epoch, batches.count);
    this.#resetState();
    return 'done';
  }

  /**
   * True when the periodic validation falls after batch `b` (just done), unless the epoch's own
   * validation is near: fewer than a quarter of the interval's batches away (it would measure nearly
   * the same weights twice).
   */
  #validatesAfter(b: number): boolean {
    const every = this.options.validateEveryBatches;
    return every > 0 && this.#done % every === 0 && this.batches.count - 1 - b >= every / 4;
  }

  /** One step of Adam on batch `b`; returns its loss. */
  #trainBatch(b: number, learningRate: number): number {
    const { params, batches, options: o } = this;
    const batchStarted = performance.now();
    const masks = dropoutMasks(params.config, batches.batchSize, o.dropout, o.seed * 1_000_003 + this.#done);
    const result: LossAndGrads = this.#gradients(params, batches.batch(b), this.#state, masks, this.#precision);
    disposeDropoutMasks(masks);
    const loss = result.loss.dataSync()[0]!;
    result.loss.dispose();
    disposeLstmState(this.#state);
    this.#state = result.state;
    this.#adam.apply(params, result.grads, learningRate);
    disposeGrads(result.grads);
    this.#averageIn();
    // The first batch of a run also warms TensorFlow up: it is not timed.
    if (this.#done > this.#startDone) this.#budget.recordBatch(performance.now() - batchStarted);
    if (!Number.isFinite(loss)) throw new CodedError('TRAINING_DIVERGED', `training loss became ${loss}`);
    this.#done += 1;
    return loss;
  }

  /** Adds the weights after this step to their mean once the run is past `averageFrom` of its steps. */
  #averageIn(): void {
    const from = this.options.averageFrom;
    if (from === undefined || this.#done + 1 <= from * this.#totalBatches) return;
    if (this.#average) this.#average.add(this.params);
    else this.#average = new WeightAverage(this.params);
  }

  #reportProgress(epoch: number, b: number, learningRate: number): void {
    const { loss, tokensPerSecond } = this.#losses.takeWindow();
    const etaMs = this.#budget.etaMs(this.#done, this.#totalBatches);
    const { epochs } = this.options;
    this.options.onEvent?.({
      type: 'batch',
      epoch,
      epochs,
      batch: b + 1,
      batches: this.batches.count,
      loss,
      learningRate,
      tokensPerSecond,
      etaMs,
    });
  }

  #resetState(): void {
    disposeLstmState(this.#state);
    this.#state = messageStartState(this.params, this.batches.batchSize, EOS_ID);
  }

  /**
   * The validation of the last weights, or of the weights' mean (once it holds more than one step's)
   * when that scores better: the targets' probabilities too, since the best weights' are what the
   * caller fits its n-gram mixture on.
   */
  #measure(): { targets: TargetEvaluation; measured: LstmParams; average: ValidationEvent['average'] } {
    const { options: o } = this;
    const measure = (params: LstmParams) =>
      evaluateTargets(params, this.validation, {
        batchSize: o.batchSize,
        seqLength: o.seqLength,
        stopAt: this.#budget.end,
        onProgress: o.onValidating,
        hidden: o.validationHidden,
      });
    const last = measure(this.params);
    if (!this.#average || this.#average.count < 2) return { targets: last, measured: this.params, average: undefined };
    const ofMean = measure(this.#average.params);
    const meanKept = ofMean.loss < last.loss;
    const average = {
      steps: this.#average.count,
      meanPerplexity: ofMean.perplexity,
      lastPerplexity: last.perplexity,
      meanKept,
    };
    return meanKept
      ? { targets: ofMean, measured: this.#average.params, average }
      : { targets: last, measured: this.params, average };
  }

  /**
   * Measures the held-out tail, with the last weights and (when averaging) the weights' mean; keeps the
   * better of them when it is the best yet (and tells `onBest`).
   */
  async #validate(epoch: number, batch: number): Promise<void> {
    const { options: o } = this;
    const validationStarted = performance.now();
    this.#validatedAt = this.#done;
    const { targets, measured, average } = this.#measure();
    const { loss, perplexity, tokens } = targets;
    const evaluation: Evaluation = { loss, perplexity, tokens };
    if (!Number.isFinite(evaluation.loss)) throw new CodedError('TRAINING_DIVERGED', 'validation loss is not finite');
    const isBest = !this.#best || evaluation.loss < this.#best.evaluation.loss;
    if (isBest) {
      if (this.#best) disposeParams(this.#best.params);
      this.#best = {
        params: cloneParams(measured),
        evaluation: targets,
        ...(average?.meanKept && { averagedSteps: average.steps }),
      };
    }
    const trainLoss = this.#losses.takeSinceValidation();
    this.#history.push({ epoch, batch, trainLoss, validationLoss: evaluation.loss });
    o.onEvent?.({
      type: 'validation',
      epoch,
      batch,
      ...evaluation,
      ...(average && { average }),
      best: isBest,
      elapsedMs: this.#budget.elapsed(),
    });
    if (isBest && o.onBest) {
      await o.onBest({
        params: this.#best!.params,
        validation: evaluation,
        tokensSeen: this.#done * this.#tokensPerBatch,
        epochs: this.#done / this.batches.count,
        trainingMs: this.#budget.elapsed(),
        precision: this.#precision,
        ...(this.#best!.averagedSteps && { averagedSteps: this.#best!.averagedSteps }),
      });
    }
    this.#budget.recordValidation(performance.now() - validationStarted, (average ? 2 : 1) * evaluation.tokens);
  }
}
