import { generateTokenIds } from '../model/sampling/generate-token-ids.js';
import type { TokenStreamRequest } from '../model/sampling/generate-token-ids.js';
import { LstmBatchStepper } from '../model/lstm/lstm-batch-stepper.js';
import type { LstmParams } from '../model/lstm/lstm-params.js';
import type { NgramMixer } from '../model/sampling/ngram-mixer.js';
import type { CopyGuard } from '../model/sampling/copy-guard.js';
import { resolveGenerationOptions } from '../model/sampling/resolve-generation-options.js';
import { CACHE_REPLY_TOKENS } from '../model/sampling/lstm-text-generator.js';

export interface SampleBenchOptions {
  /** Ids never sampled (default `<pad>` 0 and `<unk>` 1). */
  neverSampled?: readonly number[];
  /** Tokens generated per stream and run (no end-of-message stop, no word rule). Default 200. */
  tokensPerStream?: number;
  /** Minimum measuring time per batch size, after one warm-up run. Default 3000 ms. */
  minDurationMs?: number;
  temperature?: number;
  batchSizes?: readonly number[];
  /** Sample from the LSTM mixed with this n-gram (a channel model's `ngram.bin`). */
  mixer?: NgramMixer;
  /** Sample with this copy guard (a channel model's `copy6.bin`). */
  copyGuard?: CopyGuard;
  /**
   * Ids each stream reads before its prompt, as the worker's context of a channel's recent messages
   * (default 0: none). They fill a mixture's cache as the bot's would.
   */
  contextTokens?: number;
}

export interface SampleBenchRow {
  batchSize: number;
  /** Generated tokens per second over all streams (prompt priming included, warm-up excluded). */
  tokensPerS: number;
  tokens: number;
  seconds: number;
}

/**
 * Sampling throughput of the batched sampler for the given weights: streams of `tokensPerStream`
 * tokens after a 4-token prompt (read after `contextTokens` ids of context), at batch 1 and batch 16
 * by default, temperature 0.8, no top-k/top-p, the no-repeat trigram guard on and a mixture's cache
 * taking the reply's tokens (as in the bot).
 */
export async function sampleBench(params: LstmParams, options: SampleBenchOptions = {}): Promise<SampleBenchRow[]> {
  const { neverSampled = [0, 1], tokensPerStream = 200, minDurationMs = 3000, temperature = 0.8 } = options;
  const stepper = new LstmBatchStepper(params, neverSampled);
  const settings = {
    noRepeatNgramSize: 3,
    maxTokensPerWord: 1,
    mixer: options.mixer,
    copyGuard: options.copyGuard,
    cacheReplyTokens: CACHE_REPLY_TOKENS,
  };
  const prompt = [2, 10, 11, 12];
  // A fixed walk over the vocabulary (ids from 2 up), the same for every stream.
  const vocabSize = params.config.vocabSize;
  const context = Array.from({ length: options.contextTokens ?? 0 }, (_, k) => 2 + ((k * 7919) % (vocabSize - 2)));
  const rows: SampleBenchRow[] = [];
  try {
    for (const batchSize of options.batchSizes ?? [1, 16]) {
      let seed = 0;
      const requests = (): TokenStreamRequest[] =>
        Array.from({ length: batchSize }, () => ({
          promptIds: prompt,
          ...(context.length > 0 && { contextIds: context }),
          options: resolveGenerationOptions({ temperature, maxWords: tokensPerStream, seed: seed++ }),
        }));
      await generateTokenIds(stepper, requests(), settings);
      let tokens = 0;
      const started = performance.now();
      while (performance.now() - started < minDurationMs) {
        for (const { ids } of await generateTokenIds(stepper, requests(), settings)) tokens += ids.length;
      }
      const seconds = (performance.now() - started) / 1000;
      rows.push({ batchSize, tokensPerS: tokens / seconds, tokens, seconds });
    }
  } finally {
    stepper.dispose();
  }
  return rows;
}
