/**
 * The probability a model gives each scored target of a stream, position by position: the same
 * positions, read the same way (parallel stripes, state carried), as `evaluateModel` scores, listed in
 * the order of `scoredPositions`, so that the LSTM can be mixed with another model (a Kneser-Ney
 * n-gram, a cache) token by token.
 */
import { evaluateDefaults, readStripes, type EvaluateOptions, type Evaluation } from './evaluate-model.js';
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
  options: EvaluateOptions = {},
): TargetEvaluation {
  if (stream.length < 2) throw new Error('cannot score fewer than 2 tokens');
  const losses: Float32Array[] = [];
  const { batches } = readStripes(params, stream, options, (batch, state) => {
    const result = sequenceTargetLosses(params, batch, state);
    losses.push(result.losses);
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
  return { loss, perplexity: Math.exp(loss), tokens: probabilities.length, probabilities, positions };
}

/**
 * As `targetProbabilities`, for a stream in another vocabulary: a target the model lacks gets its
 * `<unk>` probability shared among the K outcomes it stands for (as `evaluateOnVocabulary` scores).
 */
export function targetProbabilitiesOnVocabulary(
  model: { params: LstmParams; vocab: Vocabulary },
  stream: Int32Array,
  streamVocab: Vocabulary,
  options: TargetProbabilityOptions = {},
): Float64Array {
  const { toModel, unknownSharedBy } = modelIdsOnVocabulary(model.vocab, streamVocab);
  const mapped = stream.map((id) => toModel[id]!);
  const probabilities = targetProbabilities(model.params, mapped, options);
  const { batchSize, seqLength } = { ...evaluateDefaults, ...options };
  scoredPositions(stream, batchSize, seqLength).forEach((position, i) => {
    if (mapped[position] === UNK_ID) probabilities[i] = probabilities[i]! / unknownSharedBy;
  });
  return probabilities;
}
