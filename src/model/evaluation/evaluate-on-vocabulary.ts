/**
 * Perplexity of a model on a token stream written in another, larger vocabulary (a channel's: the
 * base vocabulary plus the channel's words), so that models with different vocabularies are compared
 * like for like: on the same positions, each as a distribution over the stream's vocabulary.
 *
 * A model that lacks some of the stream vocabulary's words can only say `<unk>` for them: its
 * `<unk>` probability is shared equally among the K = (stream-vocabulary words it lacks) + 1
 * outcomes it stands for, the + 1 being the stream's own `<unk>` (words unknown to every model). So a
 * target it lacks costs -ln(p(<unk>) / K), and the model's probabilities still sum to 1 over the
 * stream vocabulary. A model that has every word (K = 1) is scored exactly as `evaluateModel` scores
 * it. Tokens unknown to the stream vocabulary are scored as its `<unk>`, for every model.
 */
import { evaluateDefaults, evaluateModel, type EvaluateOptions, type Evaluation } from './evaluate-model.js';
import type { LstmParams } from '../lstm/lstm-params.js';
import { modelIdsOnVocabulary } from './model-ids-on-vocabulary.js';
import { scoredPositions } from './scored-positions.js';
import { UNK_ID } from '../text/special-tokens.js';
import type { Vocabulary } from '../text/vocabulary.js';

export interface VocabularyEvaluation extends Evaluation {
  /** Share of the scored tokens that are the stream vocabulary's `<unk>` (unknown to every model). */
  unknownRate: number;
  /** Share of the scored tokens this model can only call `<unk>` (its own unknown rate). */
  modelUnknownRate: number;
  /** K: how many outcomes of the stream vocabulary share the model's `<unk>` probability. */
  unknownSharedBy: number;
}

export function evaluateOnVocabulary(
  model: { params: LstmParams; vocab: Vocabulary },
  stream: Int32Array,
  streamVocab: Vocabulary,
  options: EvaluateOptions = {},
): VocabularyEvaluation {
  const { batchSize, seqLength } = { ...evaluateDefaults, ...options };
  const { toModel, unknownSharedBy } = modelIdsOnVocabulary(model.vocab, streamVocab);
  const mapped = stream.map((id) => toModel[id]!);
  const evaluation = evaluateModel(model.params, mapped, { ...options, batchSize, seqLength });
  const positions = scoredPositions(stream, batchSize, seqLength);
  if (positions.length !== evaluation.tokens) throw new Error('scored positions disagree with the evaluation');
  let unknown = 0;
  let modelUnknown = 0;
  for (const i of positions) {
    if (stream[i] === UNK_ID) unknown++;
    if (mapped[i] === UNK_ID) modelUnknown++;
  }
  const loss = evaluation.loss + (modelUnknown * Math.log(unknownSharedBy)) / evaluation.tokens;
  return {
    loss,
    perplexity: Math.exp(loss),
    tokens: evaluation.tokens,
    unknownRate: unknown / evaluation.tokens,
    modelUnknownRate: modelUnknown / evaluation.tokens,
    unknownSharedBy,
  };
}
