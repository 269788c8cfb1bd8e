/**
 * Training side of `npm run bench`: trains a model of the given sizes on a corpus for a fixed time and
 * reports steady-state training tokens/s, validation perplexity after that time, model size on disk
 * and the process's peak RSS.
 */
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { corpusFormatOf } from '../model/corpus/corpus-format-of.js';
import { initParams } from '../model/lstm/init-params.js';
import { disposeParams, type LstmModelConfig } from '../model/lstm/lstm-params.js';
import { prepareCorpus } from '../model/corpus/prepare-corpus.js';
import { saveModel } from '../model/store/save-model.js';
import { tfLoad } from '../model/lstm/tf.js';
import { trainModel, type TrainResult } from '../model/training/train-model.js';
import type { ModelCard } from '../model/store/model-card.js';
import type { OutputPrecision } from '../model/lstm/output-precision.js';

export interface TrainBenchOptions {
  corpus: string;
  /** Sizes; `vocabSize` caps the vocabulary built from the corpus. */
  config: LstmModelConfig;
  seqLength?: number;
  batchSize?: number;
  /** Training time (validation at the end included). */
  seconds?: number;
  float16?: boolean;
  seed?: number;
}

export interface TrainBenchResult {
  train_tokens_per_s: number;
  val_perplexity: number;
  /** The saved model folder: weights, vocabulary, card. */
  size_bytes: number;
  peak_rss_bytes: number;
  tokens_seen: number;
  train_seconds: number;
  backend: string;
  /** The output layer's precision in training (`defaultTrainPrecision`). */
  precision: OutputPrecision;
  config: LstmModelConfig;
}

export async function trainBench(options: TrainBenchOptions): Promise<TrainBenchResult> {
  const corpus = await prepareCorpus(options.corpus, {
    format: corpusFormatOf(options.corpus),
    vocabSize: options.config.vocabSize,
  });
  const config = { ...options.config, vocabSize: corpus.vocab.size };
  const rates: number[] = [];
  const result = await trainModel(initParams(config, options.seed ?? 1), corpus.ids, {
    batchSize: options.batchSize ?? 64,
    seqLength: options.seqLength ?? 32,
    epochs: 1000,
    timeBudgetMs: (options.seconds ?? 120) * 1000,
    validationFraction: 0.02,
    progressEveryBatches: 10,
    onEvent: (event) => {
      if (event.type === 'batch') rates.push(event.tokensPerSecond);
    },
  });
  const dir = await mkdtemp(join(tmpdir(), 'lstm-bot-bench-'));
  try {
    const card = benchCard(options, corpus, config, result);
    await saveModel(
      join(dir, 'model'),
      { params: result.params, vocab: corpus.vocab, card },
      { float16: options.float16 },
    );
    // The first window includes start-up; the steady state is the rest.
    const steady = rates.length > 1 ? rates.slice(1) : rates;
    return {
      train_tokens_per_s: steady.reduce((a, b) => a + b, 0) / Math.max(1, steady.length),
      val_perplexity: result.validation.perplexity,
      size_bytes: await folderBytes(join(dir, 'model')),
      peak_rss_bytes: process.resourceUsage().maxRSS * 1024,
      tokens_seen: result.tokensSeen,
      train_seconds: result.trainingMs / 1000,
      backend: tfLoad.backend,
      precision: result.precision,
      config,
    };
  } finally {
    disposeParams(result.params);
    await rm(dir, { recursive: true, force: true });
  }
}

/** The card of the benchmark's model (a throwaway folder: its size is what is measured). */
function benchCard(
  options: TrainBenchOptions,
  corpus: Awaited<ReturnType<typeof prepareCorpus>>,
  config: LstmModelConfig,
  result: TrainResult,
): Omit<ModelCard, 'weights'> {
  return {
    format: 'lstm-bot-model',
    formatVersion: 1,
    id: 'bench',
    createdAt: new Date().toISOString(),
    config,
    corpus: {
      name: options.corpus,
      sha256: corpus.sha256,
      format: corpusFormatOf(options.corpus),
      messages: corpus.messages,
      tokens: corpus.ids.length,
      unknownRate: corpus.unknownRate,
    },
    training: {
      seqLength: options.seqLength ?? 32,
      batchSize: options.batchSize ?? 64,
      learningRate: 0,
      carryState: true,
      seed: options.seed ?? 1,
      epochs: result.epochs,
      tokensSeen: result.tokensSeen,
      trainingSeconds: result.trainingMs / 1000,
      stoppedBy: result.stoppedBy,
      backend: tfLoad.backend,
      precision: result.precision,
    },
    validation: result.validation,
    command: 'bench',
    licenses: [],
  };
}

async function folderBytes(dir: string): Promise<number> {
  let total = 0;
  for (const name of await readdir(dir)) total += (await stat(join(dir, name))).size;
  return total;
}
