/** `lstm-bot eval`: a model's perplexity on a corpus file. */
import { basename } from 'node:path';
import { corpusFormatOf } from '../model/corpus-format-of.js';
import { evaluateModel } from '../model/evaluate-model.js';
import { loadModel } from '../model/load-model.js';
import { disposeParams } from '../model/lstm-params.js';
import { prepareCorpus } from '../model/prepare-corpus.js';
import type { CorpusFormat } from '../model/read-corpus.js';
import type { ProgressReporter } from './progress-reporter.js';

export interface EvaluateResult {
  model: string;
  corpus: string;
  messages: number;
  tokens: number;
  unknownRate: number;
  loss: number;
  perplexity: number;
}

export async function runEvaluate(
  o: { model: string; corpus: string; format?: CorpusFormat },
  progress?: Pick<ProgressReporter, 'update'>,
): Promise<EvaluateResult> {
  const model = await loadModel(o.model);
  try {
    const label = `reading ${basename(o.corpus)}`;
    const corpus = await prepareCorpus(o.corpus, {
      format: o.format ?? corpusFormatOf(o.corpus),
      vocab: model.vocab,
      onProgress: (done, total) => progress?.update({ label, done, total, unit: 'bytes' }),
    });
    const evaluation = evaluateModel(model.params, corpus.ids, {
      batchSize: 64,
      seqLength: model.card.training.seqLength,
      onProgress: (done, total) => progress?.update({ label: 'evaluating', done, total, unit: 'batches' }),
    });
    return {
      model: model.card.id,
      corpus: o.corpus,
      messages: corpus.messages,
      tokens: evaluation.tokens,
      unknownRate: corpus.unknownRate,
      loss: evaluation.loss,
      perplexity: evaluation.perplexity,
    };
  } finally {
    disposeParams(model.params);
  }
}

export function formatEvaluation(r: EvaluateResult): string {
  return [
    `model       ${r.model}`,
    `corpus      ${r.corpus} (${r.messages} messages)`,
    `tokens      ${r.tokens}`,
    `unknown     ${(r.unknownRate * 100).toFixed(2)}%`,
    `loss        ${r.loss.toFixed(4)} nats/token`,
    `perplexity  ${r.perplexity.toFixed(2)}`,
  ].join('\n');
}
