/**
 * The probability a model gives each scored target of a stream, position by position: the same
 * positions, read the same way (parallel stripes, state carried), as `evaluateModel` scores, listed in
 * the order of `scoredPositions`, so that the LSTM can be mixed with another model (a Kneser-Ney
 * n-gram, a cache) token by token.
 */
import { evaluateDefaults } from './evaluate-model.js';
import type { LstmParams } from '../lstm/lstm-params.js';
import { disposeLstmState, zeroLstmState } from '../lstm/lstm-state.js';
import { modelIdsOnVocabulary } from './model-ids-on-vocabulary.js';
import { scoredPositions } from './scored-positions.js';
import { sequenceTargetLosses } from '../lstm/sequence-loss.js';
import { UNK_ID } from '../text/special-tokens.js';
import { StripeBatches } from '../lstm/stripe-batches.js';
import type { Vocabulary } from '../text/vocabulary.js';

export interface TargetProbabilityOptions {
  batchSize?: number;
  seqLength?: number;
}

/** P(target) at each position of `scoredPositions(stream, batchSize, seqLength)`, in that order. */
export function targetProbabilities(
  params: LstmParams,
  stream: Int32Array,
  options: TargetProbabilityOptions = {},
): Float64Array {
  if (stream.length < 2) throw new Error('cannot score fewer than 2 tokens');
  const { batchSize, seqLength } = { ...evaluateDefaults, ...options };
  const batches = StripeBatches.fit(stream, batchSize, seqLength);
  const { batchSize: B, seqLength: T, count } = batches;
  const perStripe = count * T;
  const probabilities = new Float64Array(B * perStripe);
  let state = zeroLstmState(params.config, B);
  try {
    for (let k = 0; k < count; k++) {
      const result = sequenceTargetLosses(params, batches.batch(k), state);
      disposeLstmState(state);
      state = result.state;
      // Row t * B + b of the batch is the target at stripe b, offset k * T + t + 1.
      for (let t = 0; t < T; t++) {
        for (let b = 0; b < B; b++) probabilities[b * perStripe + k * T + t] = Math.exp(-result.losses[t * B + b]!);
      }
    }
  } finally {
    disposeLstmState(state);
  }
  return probabilities;
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
