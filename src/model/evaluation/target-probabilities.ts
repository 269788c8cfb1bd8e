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
  let read = 0; // offsets of each stripe read so far
  const { batches } = readStripes(params, stream, options, (batch, state, stripes, last) => {
    const result = sequenceTargetLosses(params, batch, state, options.hidden);
    losses.push(result.losses);
    read += batch.seqLength;
    if (result.hidden) hiddenRows.push(result.hidden);
    // After the last batch, what is left of the stripes: every token keyed (`stripeTails`).
    if (options.hidden && last) hiddenRows.push(stripeTails(params, stream, stripes, result.state, read));
    return result.state;
  });
  const { batchSize: B } = batches;
  const perStripe = losses.reduce((sum, batchLosses) => sum + batchLosses.length / B, 0);
  const probabilities = new Float64Array(B * perStripe);
  const positions = new Int32Array(B * perStripe);
  let lossSum = 0;
  let offset = 0;
  for (const batchLosses of losses) {
    // Row t * B + b of a batch from `offset` is the target at stripe b, offset + t + 1.
    const T = batchLosses.length / B;
    for (let t = 0; t < T; t++) {
      for (let b = 0; b < B; b++) {
        const loss = batchLosses[t * B + b]!;
        lossSum += loss;
        probabilities[b * perStripe + offset + t] = Math.exp(-loss);
        positions[b * perStripe + offset + t] = b * batches.stripeLength + offset + t + 1;
      }
    }
    offset += T;
  }
  const loss = lossSum / probabilities.length;
  const evaluation = { loss, perplexity: Math.exp(loss), tokens: probabilities.length, probabilities, positions };
  if (!options.hidden) return evaluation;
  return { ...evaluation, hidden: placeHidden(stream.length, params.config.hiddenSize, hiddenRows, batches) };
}

/**
 * The batches' hidden rows at their stream positions, batch after batch (row t * B + b of a batch that
 * starts at stripe offset `o` predicted stripe b's offset o + t + 1); the last rows are those of
 * `stripeTails`.
 */
function placeHidden(
  length: number,
  width: number,
  perBatch: readonly Float32Array[],
  batches: { batchSize: number; stripeLength: number },
): HiddenStates {
  const { batchSize: B, stripeLength } = batches;
  const values = new Float32Array(length * width);
  let offset = 0;
  for (const rows of perBatch) {
    const steps = rows.length / width / B;
    for (let t = 0; t < steps; t++) {
      for (let b = 0; b < B; b++) {
        const row = t * B + b;
        const position = b * stripeLength + offset + t + 1;
        if (position < length) values.set(rows.subarray(row * width, (row + 1) * width), position * width);
      }
    }
    offset += steps;
  }
  return { values, width };
}

/**
 * The top layer's states over the rest of each stripe, read on from the state after the last batch,
 * which read `from` offsets of each: the positions no batch predicts (offsets from + 1 to the stripe's
 * length, the last of them the next stripe's first token), so that every token a cache holds has the
 * state that predicted it, as when the bot reads a channel. Rows t * B + b as a batch's; a target past
 * the stream's end reads as 0.
 */
function stripeTails(
  params: LstmParams,
  stream: Int32Array,
  stripes: StripeBatches,
  state: LstmState,
  from: number,
): Float32Array {
  const { batchSize: B, stripeLength: S } = stripes;
  const length = S - from;
  const inputs = new Int32Array(B * length);
  const targets = new Int32Array(B * length);
  for (let b = 0; b < B; b++) {
    for (let t = 0; t < length; t++) {
      const at = b * S + from + t;
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
