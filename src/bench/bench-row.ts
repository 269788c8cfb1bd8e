/**
 * One model row of `npm run bench`, in two processes so that each part runs with the TensorFlow
 * threads the bot gives it (see `model/tf-threads.ts`) and its peak memory is its own:
 * `node dist/bench/bench-row.js '<json options>'` prints one JSON `ModelBenchPart` on stdout.
 *   part 'train':  training tokens/s, validation perplexity and size after `trainSeconds` (every core);
 *   part 'sample': sampling tokens/s at batch 1 and 16 (one thread, as a generation worker); for a
 *                  saved model also with a copy guard of the corpus's first 10,000 messages.
 */
import './tensorflow-process.js'; // first: sets TensorFlow's environment before anything loads it
import { readFile, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { loadModel } from '../model/store/load-model.js';
import type { ModelCard } from '../model/store/model-card.js';
import { MODEL_FILES } from '../model/store/model-files.js';
import { disposeParams, type LstmModelConfig } from '../model/lstm/lstm-params.js';
import { randomLstmParams } from './random-lstm-params.js';
import { sampleBench, type SampleBenchRow } from './sample-bench.js';
import { readCorpus } from '../model/corpus/read-corpus.js';
import { corpusFormatOf } from '../model/corpus/corpus-format-of.js';
import { CopyGuard } from '../model/sampling/copy-guard.js';
import { channelCopyNgrams } from '../model/store/copy-guard-file.js';
import type { Vocabulary } from '../model/text/vocabulary.js';
import { trainBench } from './train-bench.js';
import type { OutputPrecision } from '../model/lstm/output-precision.js';

export interface ModelBenchRowOptions {
  corpus: string;
  config: LstmModelConfig;
  trainSeconds: number;
  sampleMs: number;
  /** A saved model to sample from and to size (the shipped one); random weights otherwise. */
  modelDir?: string;
  part: 'train' | 'sample';
}

export interface ModelBenchRow {
  train_tokens_per_s: number;
  sample_b1_tokens_per_s: number;
  sample_b16_tokens_per_s: number;
  /** A saved model only: the same with a copy guard of the corpus's first 10,000 messages (in the same process). */
  sample_b1_guarded_tokens_per_s?: number;
  sample_b16_guarded_tokens_per_s?: number;
  /** Its distinct 6-grams. */
  copy_guard_ngrams?: number;
  /** Validation perplexity: the saved model's own (its card) for the shipped row, after `trainSeconds` otherwise. */
  val_perplexity: number;
  size_bytes: number;
  /** The larger peak resident memory of the two parts' processes. */
  peak_rss_bytes: number;
  config: LstmModelConfig;
  train_seconds: number;
  tokens_seen: number;
  /** The precision the training part trained in (see `TrainOptions.precision`). */
  train_precision: OutputPrecision;
}

export type ModelBenchPart = Partial<ModelBenchRow> & { peak_rss_bytes: number };

export async function runModelBenchPart(options: ModelBenchRowOptions): Promise<ModelBenchPart> {
  return options.part === 'train' ? trainPart(options) : samplePart(options);
}

async function trainPart(options: ModelBenchRowOptions): Promise<ModelBenchPart> {
  const card = options.modelDir
    ? (JSON.parse(await readFile(join(options.modelDir, MODEL_FILES.card), 'utf8')) as ModelCard)
    : undefined;
  const trained = await trainBench({ corpus: options.corpus, config: options.config, seconds: options.trainSeconds });
  return {
    train_tokens_per_s: Math.round(trained.train_tokens_per_s),
    val_perplexity: card ? card.validation.perplexity : trained.val_perplexity,
    size_bytes: options.modelDir ? await folderBytes(options.modelDir) : trained.size_bytes,
    config: card?.config ?? trained.config,
    train_seconds: trained.train_seconds,
    tokens_seen: trained.tokens_seen,
    train_precision: trained.precision,
    peak_rss_bytes: process.resourceUsage().maxRSS * 1024,
  };
}

async function samplePart(options: ModelBenchRowOptions): Promise<ModelBenchPart> {
  const model = options.modelDir ? await loadModel(options.modelDir) : undefined;
  const params = model?.params ?? randomLstmParams(options.config, 1, 8);
  try {
    const rate = (rows: SampleBenchRow[], batch: number) =>
      Math.round(rows.find((r) => r.batchSize === batch)?.tokensPerS ?? Number.NaN);
    const rows = await sampleBench(params, { minDurationMs: options.sampleMs });
    const copyGuard = model && (await corpusCopyGuard(options.corpus, model.vocab));
    const guarded = copyGuard && (await sampleBench(params, { minDurationMs: options.sampleMs, copyGuard }));
    return {
      sample_b1_tokens_per_s: rate(rows, 1),
      sample_b16_tokens_per_s: rate(rows, 16),
      ...(guarded && {
        sample_b1_guarded_tokens_per_s: rate(guarded, 1),
        sample_b16_guarded_tokens_per_s: rate(guarded, 16),
        copy_guard_ngrams: copyGuard.ngrams.size,
      }),
      peak_rss_bytes: process.resourceUsage().maxRSS * 1024,
    };
  } finally {
    disposeParams(params);
  }
}

/** The copy guard a channel of the corpus's first 10,000 messages would get (one message per line, or JSONL). */
async function corpusCopyGuard(corpus: string, vocab: Vocabulary): Promise<CopyGuard> {
  const texts: string[] = [];
  for await (const message of readCorpus(corpus, corpusFormatOf(corpus))) {
    texts.push(message.text);
    if (texts.length === 10_000) break;
  }
  return new CopyGuard(channelCopyNgrams(texts, vocab), vocab);
}

async function folderBytes(dir: string): Promise<number> {
  let total = 0;
  for (const name of await readdir(dir)) total += (await stat(join(dir, name))).size;
  return total;
}

if (process.argv[1]?.endsWith('bench-row.js') && process.argv[2]) {
  const part = await runModelBenchPart(JSON.parse(process.argv[2]) as ModelBenchRowOptions);
  process.stdout.write(JSON.stringify(part) + '\n');
}
