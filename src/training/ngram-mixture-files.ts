import type { ChannelNgramMixture } from '../model/evaluation/fit-ngram-mixture.js';
import type { ModelCard } from '../model/store/model-card.js';
import { encodeNgramCounts, NGRAM_FILE } from '../model/store/ngram-file.js';

/** What a channel model's folder gets of its n-gram mixture: the trigram's file and the card's `mixture`. */
export function ngramMixtureFiles(ngram: ChannelNgramMixture): {
  files: Record<string, Uint8Array>;
  card: Required<Pick<ModelCard, 'mixture'>>;
} {
  const bytes = encodeNgramCounts(ngram.kneserNey);
  return {
    files: { [NGRAM_FILE]: bytes },
    card: {
      mixture: {
        file: NGRAM_FILE,
        order: 3,
        trigrams: ngram.kneserNey.topCounts.size,
        lstmWeight: ngram.lstmWeight,
        validationPerplexity: ngram.validationPerplexity,
        heldOutPerplexity: ngram.heldOutPerplexity,
        cache: ngram.cache,
      },
    },
  };
}
