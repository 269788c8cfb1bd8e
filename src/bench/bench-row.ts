/**
 * One model row of `npm run bench`, run in its own process so that its peak memory is its own:
 * `node dist/bench/bench-row.js '<json options>'` prints one JSON `ModelBenchRow` on stdout.
 */
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { loadModel } from '../model/load-model.js';
import { disposeParams, type LstmModelConfig } from '../model/lstm-params.js';
import { randomLstmParams } from './random-lstm-params.js';
import { sampleBench } from './sample-bench.js';
import { trainBench } from './train-bench.js';

export interface ModelBenchRowOptions {
  corpus: string;
  config: LstmModelConfig;
  trainSeconds: number;
  sampleMs: number;
  /** A saved model to sample from and to size (the shipped one); random weights otherwise. */
  modelDir?: string;
}

export interface ModelBenchRow {
  train_tokens_per_s: number;
  sample_b1_tokens_per_s: number;
  sample_b16_tokens_per_s: number;
  /** Validation perplexity: the saved model's own (its card) for the shipped row, after `trainSeconds` otherwise. */
  val_perplexity: number;
  size_bytes: number;
  peak_rss_bytes: number;
  config: LstmModelConfig;
  train_seconds: number;
  tokens_seen: number;
}

export async function runModelBenchRow(o: ModelBenchRowOptions): Promise<ModelBenchRow> {
  const trained = await trainBench({ corpus: o.corpus, config: o.config, seconds: o.trainSeconds });
  const loaded = o.modelDir ? await loadModel(o.modelDir) : undefined;
  const params = loaded?.params ?? randomLstmParams(trained.config, 1, 8);
  const rows = await sampleBench(params, { minDurationMs: o.sampleMs });
  disposeParams(params);
  const rate = (batch: number) => rows.find((r) => r.batchSize === batch)?.tokensPerS ?? Number.NaN;
  return {
    train_tokens_per_s: Math.round(trained.train_tokens_per_s),
    sample_b1_tokens_per_s: Math.round(rate(1)),
    sample_b16_tokens_per_s: Math.round(rate(16)),
    val_perplexity: loaded ? loaded.card.validation.perplexity : trained.val_perplexity,
    size_bytes: o.modelDir ? await folderBytes(o.modelDir) : trained.size_bytes,
    peak_rss_bytes: process.resourceUsage().maxRSS * 1024,
    config: loaded?.card.config ?? trained.config,
    train_seconds: trained.train_seconds,
    tokens_seen: trained.tokens_seen,
  };
}

async function folderBytes(dir: string): Promise<number> {
  let total = 0;
  for (const name of await readdir(dir)) total += (await stat(join(dir, name))).size;
  return total;
}

if (process.argv[1]?.endsWith('bench-row.js') && process.argv[2]) {
  const row = await runModelBenchRow(JSON.parse(process.argv[2]) as ModelBenchRowOptions);
  process.stdout.write(JSON.stringify(row) + '\n');
}
