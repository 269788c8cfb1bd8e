/**
 * `lstm-bot eval`: a model's perplexity on a corpus file; with `--against`, a second model's on the
 * same positions and the same vocabulary (the union of both: see `evaluateOnVocabulary`).
 */
import type { CacheMixtureWeights } from '../model/evaluation/fit-mixture-weights.js';
import { basename } from 'node:path';
import { corpusFormatOf } from '../model/corpus/corpus-format-of.js';
import { evaluateOnVocabulary } from '../model/evaluation/evaluate-on-vocabulary.js';
import { loadModel, type LoadedModel } from '../model/store/load-model.js';
import { mixturePerplexityOnVocabulary } from '../model/evaluation/mixture-on-vocabulary.js';
import { disposeParams } from '../model/lstm/lstm-params.js';
import { prepareCorpus } from '../model/corpus/prepare-corpus.js';
import type { CorpusFormat } from '../model/corpus/read-corpus.js';
import type { ProgressReporter } from './progress-reporter.js';

export interface ModelScore {
  model: string;
  loss: number;
  perplexity: number;
  /** Share of the scored tokens the model can only call `<unk>` (their cost shared: see the README). */
  modelUnknownRate: number;
  /**
   * A channel model with its n-gram: its perplexity as it samples (LSTM and n-gram mixed, and its cache
   * of the preceding tokens when it has one), same positions.
   */
  mixture?: { lstmWeight: number; perplexity: number; cache?: CacheMixtureWeights };
}

export interface EvaluateResult extends ModelScore {
  corpus: string;
  messages: number;
  tokens: number;
  /** Share of the corpus's tokens unknown to the vocabulary scored on. */
  unknownRate: number;
  /** Size of the vocabulary both models were scored on. */
  vocabularySize: number;
  against?: ModelScore;
}

export async function runEvaluate(
  settings: {
    model: string;
    corpus: string;
    format?: CorpusFormat;
    /** A second model (the base of a channel model, say) to score on the same positions and words. */
    against?: string;
  },
  progress?: Pick<ProgressReporter, 'update'>,
): Promise<EvaluateResult> {
  const models: LoadedModel[] = [];
  try {
    models.push(await loadModel(settings.model));
    if (settings.against) models.push(await loadModel(settings.against));
    const vocab = models.reduce((union, m) => union.withAddedTokens(m.vocab.toJSON().tokens), models[0]!.vocab);
    const label = `reading ${basename(settings.corpus)}`;
    const corpus = await prepareCorpus(settings.corpus, {
      format: settings.format ?? corpusFormatOf(settings.corpus),
      vocab,
      onProgress: (done, total) => progress?.update({ label, done, total, unit: 'bytes' }),
    });
    const options = {
      batchSize: 64,
      seqLength: models[0]!.card.training.seqLength,
      onProgress: (done: number, total: number) =>
        progress?.update({ label: 'evaluating', done, total, unit: 'batches' }),
    };
    const [first, second] = models.map((model): ModelScore & { tokens: number } => {
      const evaluation = evaluateOnVocabulary(model, corpus.ids, vocab, options);
      const { loss, perplexity, modelUnknownRate, tokens } = evaluation;
      const { mixer } = model;
      const mixture = mixer && {
        lstmWeight: mixer.lstmWeight,
        perplexity: mixturePerplexityOnVocabulary({ ...model, mixer }, corpus.ids, vocab, options).perplexity,
        ...(mixer.cache && { cache: mixer.cache }),
      };
      return { model: model.card.id, loss, perplexity, modelUnknownRate, tokens, ...(mixture && { mixture }) };
    });
    const { tokens, ...score } = first!;
    return {
      ...score,
      corpus: settings.corpus,
      messages: corpus.messages,
      tokens,
      unknownRate: corpus.unknownRate,
      vocabularySize: vocab.size,
      ...(second && {
        against: {
          model: second.model,
          loss: second.loss,
          perplexity: second.perplexity,
          modelUnknownRate: second.modelUnknownRate,
          ...(second.mixture && { mixture: second.mixture }),
        },
      }),
    };
  } finally {
    for (const model of models) disposeParams(model.params);
  }
}

export function formatEvaluation(r: EvaluateResult): string {
  const lines = [
    `model       ${r.model}`,
    `corpus      ${r.corpus} (${r.messages} messages)`,
    `tokens      ${r.tokens}`,
    `unknown     ${(r.unknownRate * 100).toFixed(2)}% (of the ${r.vocabularySize}-word vocabulary scored on)`,
    `loss        ${r.loss.toFixed(4)} nats/token`,
    `perplexity  ${r.perplexity.toFixed(2)}`,
  ];
  if (r.mixture) lines.push(`mixed       ${mixtureLine(r.mixture)}`);
  if (r.against) {
    lines.push(
      `against     ${r.against.model}: perplexity ${r.against.perplexity.toFixed(2)} on the same tokens, ` +
        `${(r.against.modelUnknownRate * 100).toFixed(2)}% of them words it lacks (their <unk> probability shared)`,
    );
    if (r.against.mixture) lines.push(`            ${r.against.model} ${mixtureLine(r.against.mixture)}`);
  }
  return lines.join('\n');
}

function mixtureLine(m: NonNullable<ModelScore['mixture']>): string {
  const weights = m.cache
    ? `weights ${m.cache.weights.map((w) => w.toFixed(2)).join(' / ')} on the LSTM, the n-gram and a ${cacheName(m.cache)} of the last ${m.cache.window} tokens`
    : `weight ${m.lstmWeight.toFixed(2)} on the LSTM`;
  return `perplexity ${m.perplexity.toFixed(2)} mixed with its n-gram${m.cache ? ' and cache' : ''} (${weights}), as it samples`;
}

/** "continuous cache (θ 1.5)" or "cache" (a unigram one). */
function cacheName(cache: { theta?: number }): string {
  return cache.theta ? `continuous cache (θ ${cache.theta})` : 'cache';
}
