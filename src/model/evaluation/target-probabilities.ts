/**
 * The probability a model gives each scored target of a stream, position by position: the same
 * positions, read the same way (parallel stripes, state carried), as `evaluateModel` scores, listed in
 * the order of `scoredPositions`, so that the LSTM can be mixed with another model (a Kneser-Ney
 * n-gram, a cache) token by token.
 */
import { evaluateDefaults, readStripes, type EvaluateOptions, type Evaluation } from './evaluate-model.js';
import { disposeLstmState, type LstmState } from '../lstm/lstm-state.js';
import type { StripeBatches } from '../lstm/stripe-batches.js';
import type { LstmParams } from '../lstm/lstm-params.js';
import { modelIdsOnVocabulary } from './model-ids-on-vocabulary.js';
import { scoredPositions } from './scored-positions.js';
import { sequenceTargetLosses } from '../lstm/sequence-loss.js';
import { UNK_ID } from '../text/special-tokens.js';
import type { Vocabulary } from '../text/vocabulary.js';

export interface TargetProbabilityOptions {
  batchSize?: number;
  seqLength?: number;
}

/** An evaluation that also keeps each scored target's probability (to mix the model with another). */
export interface TargetEvaluation extends Evaluation {
  /** P(target) at `positions`, in that order. */
  probabilities: Float64Array;
  /**
   * The positions scored: those of `scoredPositions(stream, batchSize, seqLength)`, or, when `stopAt`
   * cut the evaluation short, those of the batches it reached (the same order, stripe by stripe).
   */
  positions: Int32Array;
  /** With `hidden`: the top layer's hidden state that predicted each position's token (a continuous cache's keys). */
  hidden?: HiddenStates;
}

/**
 * Hidden states by stream position: `values[i * width ..]` is the top LSTM layer's output that predicted
 * `stream[i]`; zeros where none did (position 0, and positions a `stopAt` left unread).
 */
export interface HiddenStates {
  values: Float32Array;
  width: number;
}

/** P(target) at each position of `scoredPositions(stream, batchSize, seqLength)`, in that order. */
export function targetProbabilities(
  params: LstmParams,
  stream: Int32Array,
  options: TargetProbabilityOptions = {},
): Float64Array {
  return evaluateTargets(params, stream, options).probabilities;
}

/**
 * `evaluateModel`'s evaluation (the same positions, batches and `stopAt`) with each target's probability:
 * one forward pass gives both the validation loss and what the n-gram mixture's weight is fitted on.
 */
export function evaluateTargets(
  params: LstmParams,
  stream: Int32Array,
  options: EvaluateOptions & { hidden?: boolean } = {},
): TargetEvaluation {
  if (stream.length < 2) throw new Error('cannot score fewer than 2 tokens');
  const losses: Float32Array[] = [];
  const hiddenRows: Float32Array[] = [];
  const { batches } = readStripes(params, stream, options, (batch, state, stripes) => {
    const result = sequenceTargetLosses(params, batch, state, options.hidden);
    losses.push(result.losses);
    if (result.hidden) hiddenRows.push(result.hidden);
    // After the last batch, the stripes' tails: every token keyed (`stripeTails`).
    if (options.hidden && losses.length === stripes.count)
      hiddenRows.push(stripeTails(params, stream, stripes, result.state));
    return result.state;
  });
  const { batchSize: B, seqLength: T } = batches;
  const perStripe = losses.length * T;
  const probabilities = new Float64Array(B * perStripe);
  const positions = new Int32Array(B * perStripe);
  let lossSum = 0;
  losses.forEach((batchLosses, k) => {
    // Row t * B + b of batch k is the target at stripe b, offset k * T + t + 1.
    for (let t = 0; t < T; t++) {
      for (let b = 0; b < B; b++) {
        const loss = batchLosses[t * B + b]!;
        lossSum += loss;
        probabilities[b * perStripe + k * T + t] = Math.exp(-loss);
        positions[b * perStripe + k * T + t] = b * batches.stripeLength + k * T + t + 1;
      }
    }
  });
  const loss = lossSum / probabilities.length;
  const evaluation = { loss, perplexity: Math.exp(loss), tokens: probabilities.length, probabilities, positions };
  if (!options.hidden) return evaluation;
  return { ...evaluation, hidden: placeHidden(stream.length, params.config.hiddenSize, hiddenRows, batches) };
}

/**
 * Batch k's hidden rows (row t * B + b predicted stripe b's offset k * T + t + 1) at their stream
 * positions; after the last batch, the stripes' tails (`stripeTails`: its rows, t < the tail's length).
 */
function placeHidden(
  length: number,
  width: number,
  perBatch: readonly Float32Array[],
  batches: { batchSize: number; seqLength: number; stripeLength: number },
): HiddenStates {
  const { batchSize: B, seqLength: T, stripeLength } = batches;
  const values = new Float32Array(length * width);
  perBatch.forEach((rows, k) => {
    const steps = Math.min(T, rows.length / width / B);
    for (let t = 0; t < steps; t++) {
      for (let b = 0; b < B; b++) {
        const row = t * B + b;
        const position = b * stripeLength + k * T + t + 1;
        if (position < length) values.set(rows.subarray(row * width, (row + 1) * width), position * width);
      }
    }
  });
  return { values, width };
}

/**
 * The top layer's states over each stripe's tail, read on from the state after the last batch: the
 * positions no batch predicts (offsets count * T + 1 to the stripe's length, the last of them the next
 * stripe's first token), so that every token a cache holds has the state that predicted it, as when
 * the bot reads a channel. Rows t * B + b as a batch's; a target past the stream's end reads as 0.
 */
function stripeTails(params: LstmParams, stream: Int32Array, stripes: StripeBatches, state: LstmState): Float32Array {
  const { batchSize: B, seqLength: T, stripeLength: S, count } = stripes;
  const length = S - count * T;
  const inputs = new Int32Array(B * length);
  const targets = new Int32Array(B * length);
  for (let b = 0; b < B; b++) {
    for (let t = 0; t < length; t++) {
      const at = b * S + count * T + t;
      inputs[t * B + b] = stream[at]!;
      targets[t * B + b] = stream[at + 1] ?? 0;
    }
  }
  const tail = sequenceTargetLosses(params, { inputs, targets, batchSize: B, seqLength: length }, state, true);
  disposeLstmState(tail.state);
  return tail.hidden!;
}

/**
 * As `targetProbabilities`, for a stream in another vocabulary: a target the model lacks gets its
 * `<unk>` probability shared among the K outcomes it stands for (as `evaluateOnVocabulary` scores);
 * with `hidden`, the LSTM's states on the stream too.
 */
export function targetProbabilitiesOnVocabulary(
  model: { params: LstmParams; vocab: Vocabulary },
  stream: Int32Array,
  streamVocab: Vocabulary,
  options: TargetProbabilityOptions & { hidden?: boolean } = {},
): { probabilities: Float64Array; hidden?: HiddenStates } {
  const { toModel, unknownSharedBy } = modelIdsOnVocabulary(model.vocab, streamVocab);
  const mapped = stream.map((id) => toModel[id]!);
  const { probabilities, hidden } = evaluateTargets(model.params, mapped, options);
  const { batchSize, seqLength } = { ...evaluateDefaults, ...options };
  scoredPositions(stream, batchSize, seqLength).forEach((position, i) => {
    if (mapped[position] === UNK_ID) probabilities[i] = probabilities[i]! / unknownSharedBy;
  });
  return hidden ? { probabilities, hidden } : { probabilities };
}
