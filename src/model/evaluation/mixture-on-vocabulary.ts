/**
 * The perplexity of a channel model as it samples, the LSTM mixed with its n-gram and, when it has one,
 * its cache (`NgramMixer`), on a stream in another vocabulary, like for like with `evaluateOnVocabulary`:
 * the same positions, and for a word the model lacks, every part's `<unk>` probability shared among the
 * K outcomes it stands for. The cache at a position holds the stream's `window` ids before it, in the
 * model's ids, with the LSTM's states on them for a continuous cache (as a sample's cache holds what it read).
 */
import { evaluateDefaults } from './evaluate-model.js';
import type { LstmParams } from '../lstm/lstm-params.js';
import { mixtureCrossEntropy } from './mixture-weights.js';
import { modelIdsOnVocabulary } from './model-ids-on-vocabulary.js';
import type { NgramMixer } from '../sampling/ngram-mixer.js';
import { scoredPositions } from './scored-positions.js';
import { UNK_ID } from '../text/special-tokens.js';
import { cacheProbabilities } from './continuous-cache.js';
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
  const { probabilities: lstm, hidden } = targetProbabilitiesOnVocabulary(model, stream, streamVocab, {
    batchSize,
    seqLength,
    hidden: (model.mixer.cache?.theta ?? 0) > 0,
  });
  const { mixer } = model;
  const positions = scoredPositions(stream, batchSize, seqLength);
  // A part's <unk> probability is shared among the K words it stands for.
  const onStream = (p: number, i: number) => (mapped[i] === UNK_ID ? p / unknownSharedBy : p);
  const kn = Float64Array.from(positions, (i) =>
    onStream(mixer.probability(mixer.contextOf(mapped, i), mapped[i]!), i),
  );
  const parts = [lstm, kn];
  if (mixer.cache) {
    const cached = cacheProbabilities(mapped, positions, mixer.cache, hidden);
    parts.push(cached.map((p, n) => onStream(p, positions[n]!)));
  }
  const loss = mixtureCrossEntropy(parts, mixer.weights.slice(0, parts.length));
  return { loss, perplexity: Math.exp(loss), tokens: lstm.length };
}
