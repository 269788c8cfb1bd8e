import type { CorpusLicense } from '../corpus/corpus-licenses.js';
import type { PreparedSource } from '../corpus/prepare-corpora.js';
import type { LstmModelConfig } from '../lstm/lstm-params.js';

/** `card.json`: what a model is, how it was made, how good it is and what its data's licenses ask. */
export interface ModelCard {
  format: 'lstm-bot-model';
  /** Version of this card and folder layout. */
  formatVersion: 1;
  /** Stable id of this model version, e.g. `base-20261129-2305-1a2b3c4d`. */
  id: string;
  createdAt: string;
  config: LstmModelConfig;
  corpus: {
    name: string;
    sha256: string;
    format: 'lines' | 'jsonl';
    messages: number;
    tokens: number;
    /** Share of corpus tokens that map to `<unk>`. */
    unknownRate: number;
  };
  /**
   * Several corpora, or training continued from another model: each corpus file, its validation tail
   * and the perplexities on it (`corpus` then sums them up: names joined, the sha256 of their sha256s).
   */
  corpora?: PreparedSource[];
  /** The id of the model this one continued training from (`lstm-bot train --from`). */
  continuedFrom?: string;
  training: {
    seqLength: number;
    batchSize: number;
    learningRate: number;
    carryState: boolean;
    seed: number;
    epochs: number;
    tokensSeen: number;
    trainingSeconds: number;
    stoppedBy: string;
    backend: string;
    /** The output layer's products in training (`TrainOptions.precision`); absent: float32. */
    precision?: 'float32' | 'mixed';
    /** Learning-rate schedule beyond `learningRate` (see `learningRateAt`); absent: cosine to 0.1x, no warm-up. */
    schedule?: { warmupFraction: number; decay: 'cosine' | 'linear'; finalLearningRateFactor: number };
    /** Variational dropout while training; absent: none. */
    dropout?: { input: number; output: number };
    /** Weights averaged from this share of the training on (the setting); absent: no averaging. */
    averageFrom?: number;
    /** The saved weights are the mean of the weights after each of the last `averagedSteps` steps. */
    averagedSteps?: number;
  };
  validation: { loss: number; perplexity: number; tokens: number };
  weights: { file: string; dtype: 'float32' | 'float16'; bytes: number };
  /**
   * A channel model's mixture with the channel's Kneser-Ney trigram (`ngram-file.ts`): the trigram's
   * file, λ (the LSTM's weight, fitted on the fine-tune's validation split) and the perplexities it
   * gave; absent (every base model): the LSTM alone.
   */
  mixture?: {
    file: string;
    order: 3;
    trigrams: number;
    lstmWeight: number;
    /** The mixture on the validation split λ was fitted on, and on the held-out messages. */
    validationPerplexity: number;
    heldOutPerplexity: number;
    /**
     * The mixture plus a cache of the sample's last `window` ids: a continuous cache (Grave et al. 2017,
     * `continuous-cache.ts`) whose ids count by exp(θ h · h_id) when `theta` is above 0, a unigram cache
     * (each id once) when it is absent. The weights of the LSTM, the trigram and the cache, fitted with
     * the window and θ on the same validation split, and the perplexities they gave. The model samples
     * with them when the cache's weight is above 0; absent (channel models from before the cache) or 0:
     * with λ alone.
     */
    cache?: {
      window: number;
      theta?: number;
      weights: [lstm: number, ngram: number, cache: number];
      validationPerplexity: number;
      heldOutPerplexity: number;
    };
  };
  /**
   * A channel model's copy guard (`copy-guard-file.ts`): the channel's token `n`-grams (6), which the
   * sampler never completes verbatim; absent (every base model, channel models from before it): no guard.
   */
  copyGuard?: { file: string; n: number; ngrams: number };
  /** The exact command that made this model. */
  command: string;
  licenses: CorpusLicense[];
}
