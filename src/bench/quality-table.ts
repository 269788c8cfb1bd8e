/**
 * The quality part of `npm run bench`: each room in its own process (`run-quality-bench.js`, every
 * core to TensorFlow as a trainer gives a /retrain), then one table.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { samplesWithCache } from '../model/evaluation/fit-mixture-weights.js';
import { trainingProcessEnv } from '../model/training/training-process-env.js';
import type { QualityBenchRoom } from './quality-bench.js';
import type { ReplyStats } from './reply-stats.js';
import type { ReplyJudgement } from './room-replies.js';

export interface QualityRunOptions {
  corpus: string;
  rooms: readonly string[];
  modelDir: string;
  messages: number;
  retrainSeconds: number;
  replies: number;
  /**
   * Keep each room's fine-tuned model in this folder, or use the one kept there (no retraining): the
   * folder itself for one room, its subfolder named after the room (`keptModelDir`) for several.
   */
  keepModelDir?: string;
  fineTunedDir?: string;
}

/** Where a room's kept model lies under `dir`: `dir` itself when one room runs, else `dir/<room>`. */
export function keptModelDir(dir: string, room: string, rooms: number): string {
  return rooms === 1 ? dir : join(dir, room.replace(/[^\w-]/g, '_'));
}

export async function runQualityRooms(options: QualityRunOptions): Promise<QualityBenchRoom[]> {
  const script = fileURLToPath(new URL('./run-quality-bench.js', import.meta.url));
  const results: QualityBenchRoom[] = [];
  for (const room of options.rooms) {
    const args = [script, '--corpus', options.corpus, '--room', room, '--model', options.modelDir];
    args.push('--messages', String(options.messages), '--train-seconds', String(options.retrainSeconds));
    args.push('--replies', String(options.replies));
    const kept = (dir: string) => keptModelDir(dir, room, options.rooms.length);
    if (options.keepModelDir) args.push('--keep-model', kept(options.keepModelDir));
    if (options.fineTunedDir) args.push('--finetuned', kept(options.fineTunedDir));
    const child = spawn(process.execPath, args, {
      stdio: ['ignore', 'pipe', 'inherit'],
      // The environment of a /retrain's trainer child (`run-training-child.ts`), so its seconds are a /retrain's.
      env: trainingProcessEnv(),
    });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    if (code !== 0) throw new Error(`the quality bench of room ${room} failed (exit code ${code})`);
    results.push(JSON.parse(stdout.trim().split('\n').pop()!) as QualityBenchRoom);
  }
  return results;
}

/** A cache's window and, for a continuous cache, its θ: "200" or "256, θ 1.5". */
function cacheShape(window: number, theta: number | undefined): string {
  return theta ? `${window}, θ ${theta}` : String(window);
}

/** The mixture with the cache, its weight, window and θ, and whether the bot samples so. */
function cacheCell(m: QualityBenchRoom['mixture']): string {
  const cell = `${m.perplexity_mixture_cache.toFixed(1)} (${m.cache_weights[2].toFixed(2)}, ${cacheShape(m.cache_window, m.cache_theta)})`;
  const sampled = m.weights_from === 'model' && samplesWithCache({ window: m.cache_window, weights: m.cache_weights });
  return sampled ? cell : `${cell} not sampled`;
}

/** The LSTM with the cache and no trigram: its perplexity (λ, window, θ) / the trigram's. */
function lstmCacheCell(m: QualityBenchRoom['mixture']['lstm_cache'], kn3: number): string {
  const weights = `${m.lstm_weight.toFixed(2)}, ${cacheShape(m.window, m.theta)}`;
  return `${m.perplexity.toFixed(1)} (${weights}) / ${(m.perplexity / kn3).toFixed(2)}`;
}

/** The rooms as a Markdown table (the README's Quality section shows its latest run; docs/quality.md every run). */
export function formatQualityTable(rooms: readonly QualityBenchRoom[]): string {
  const percent = (x: number) => `${(x * 100).toFixed(1)}%`;
  const lines = [
    '| room | messages (held out) | perplexity base | fine-tuned | KN trigram | KN bigram | fine-tuned / KN trigram | fine-tuned + cache, no KN (λ, window, θ) / KN trigram | fine-tuned + KN (λ) | + cache (w3, window, θ) | (fine-tuned + KN) / KN trigram | (+ cache) / KN trigram | held-out ppl, no context | with context | unknown (base lacks) | words per reply (± standard error) | distinct-2 | 6-grams copied | reply ppl under the base (people) | retrain s |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const r of rooms) {
    const cells = [
      r.room,
      `${r.messages} (${r.held_out_messages})`,
      r.perplexity_base.toFixed(1),
      `${r.perplexity_finetuned.toFixed(1)}${r.published ? '' : ' (not published)'}`,
      r.perplexity_kn3.toFixed(1),
      r.perplexity_kn2.toFixed(1),
      (r.perplexity_finetuned / r.perplexity_kn3).toFixed(2),
      lstmCacheCell(r.mixture.lstm_cache, r.perplexity_kn3),
      `${r.mixture.perplexity_mixture.toFixed(1)} (${r.mixture.lstm_weight.toFixed(2)})`,
      cacheCell(r.mixture),
      (r.mixture.perplexity_mixture / r.perplexity_kn3).toFixed(2),
      (r.mixture.perplexity_mixture_cache / r.perplexity_kn3).toFixed(2),
      r.context.perplexity_no_context.toFixed(1),
      `${r.context.perplexity_with_context.toFixed(1)} (${r.context.context_messages} msgs, ≤${r.context.context_tokens_max} tokens)`,
      `${percent(r.unknown_rate)} (${percent(r.base_unknown_rate)})`,
      `${r.replies.meanWords.toFixed(1)} ± ${r.replies.meanWordsStdError.toFixed(1)}`,
      r.replies.distinct2.toFixed(2),
      percent(r.replies.copied6gramRate),
      `${r.replies.judge_perplexity.toFixed(0)} (${r.held_out_reference.judge_perplexity.toFixed(0)})`,
      r.retrain_seconds.toFixed(0),
    ];
    lines.push(`| ${cells.join(' | ')} |`);
  }
  return lines.join('\n');
}

/**
 * The rooms' replies as a Markdown table, one row per way of sampling the bench measured: at the bot's
 * defaults (context off), with context on (with and without the mixture's cache), the LSTM alone, the
 * mixture without its cache, and what people wrote after the same prompts. The judge (the base model)
 * reads each reply after its prompt only, not after the context it was written in. With a continuous
 * cache the first row and the mixture without its cache sample alike: a prompt alone is too little for
 * the cache (`MIN_CONTINUOUS_CACHE_IDS`).
 */
export function formatReplyTable(rooms: readonly QualityBenchRoom[]): string {
  const lines = [
    '| room | replies | words per reply (± standard error) | distinct-2 | 6-grams copied | ppl under the base |',
    '| --- | --- | --- | --- | --- | --- |',
  ];
  for (const r of rooms) {
    const context = r.replies_with_context;
    const rows: [string, (ReplyStats & ReplyJudgement) | undefined][] = [
      ['at the defaults (context off)', r.replies],
      [`with context (${context?.context_messages} messages, ≤${context?.context_chars} characters)`, context],
      ['with context, the mixture without its cache', r.replies_with_context_without_cache],
      ['the LSTM alone', r.replies_lstm_alone],
      ['the mixture without its cache', r.replies_without_cache],
      ['people (the held-out messages after the same prompts)', r.held_out_reference],
    ];
    for (const [label, stats] of rows) {
      if (!stats) continue;
      const cells = [
        r.room,
        label,
        `${stats.meanWords.toFixed(1)} ± ${stats.meanWordsStdError.toFixed(1)}`,
        stats.distinct2.toFixed(3),
        `${(stats.copied6gramRate * 100).toFixed(1)}%`,
        stats.judge_perplexity.toFixed(0),
      ];
      lines.push(`| ${cells.join(' | ')} |`);
    }
  }
  return lines.join('\n');
}
