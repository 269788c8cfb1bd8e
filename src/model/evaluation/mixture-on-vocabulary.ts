/**
 * The perplexity of a channel model as it samples, the LSTM mixed with its n-gram (`NgramMixer`), on
 * a stream in another vocabulary, like for like with `evaluateOnVocabulary`: the same positions, and
 * for a word the model lacks, both parts' `<unk>` probability shared among the K outcomes it stands for.
 */
import { evaluateDefaults } from './evaluate-model.js';
import type { LstmParams } from '../lstm/lstm-params.js';
import { mixtureCrossEntropy } from './mixture-weights.js';
import { modelIdsOnVocabulary } from './model-ids-on-vocabulary.js';
import type { NgramMixer } from '../sampling/ngram-mixer.js';
import { scoredPositions } from './scored-positions.js';
import { UNK_ID } from '../text/special-tokens.js';
import { targetProbabilitiesOnVocabulary, type TargetProbabilityOptions } from './target-probabilities.js';
import type { Vocabulary } from '../text/vocabulary.js';

export function mixturePerplexityOnVocabulary(
  model: { params: LstmParams; vocab: Vocabulary; mixer: NgramMixer },
  stream: Int32Array,
  streamVocab: Vocabulary,
  options: TargetProbabilityOptions = {},
): { loss: number; perplexity: number; tokens: number } {
  const { batchSize, seqLength } = { ...evaluateDefaults, ...options };
  const { toModel, unknownSharedBy } = modelIdsOnVocabulary(model.vocab, streamVocab);
  const mapped = stream.map((id) => toModel[id]!);
  const lstm = targetProbabilitiesOnVocabulary(model, stream, streamVocab, { batchSize, seqLength });
  const { mixer } = model;
  const kn = Float64Array.from(scoredPositions(stream, batchSize, seqLength), (i) => {
    const p = mixer.probability(mixer.contextOf(mapped, i), mapped[i]!);
    return mapped[i] === UNK_ID ? p / unknownSharedBy : p;
  });
  const loss = mixtureCrossEntropy([lstm, kn], [mixer.lstmWeight, 1 - mixer.lstmWeight]);
  return { loss, perplexity: Math.exp(loss), tokens: lstm.length };
}
