/**
 * `npm run bench -- --corpus FILE [--json] [--model DIR] [--train-seconds N] [--sample-ms N] [--skip e2e|finetune]
 *   [--finetune-corpus FILE]`
 * `npm run bench -- --quality --corpus CHAT.jsonl [--rooms A,B,C] [--messages N] [--retrain-seconds N]
 *   [--replies N] [--model DIR] [--json] [--keep-model DIR | --finetuned DIR]`: the quality table only
 *   (see `quality-bench.ts`); the three largest rooms unless named. `--keep-model DIR` keeps each room's
 *   fine-tuned model (in DIR for one room, in DIR/<room> for several), `--finetuned DIR` measures the
 *   ones kept there without retraining.
 *
 * Model rows (each in its own process): training tokens/s, sampling tokens/s at batch 1 and 16,
 * validation perplexity, size and peak memory, for the reference sizes (vocabulary 8,000, embedding
 * 128, one LSTM of 256, sequence 32, batch 64) and for the shipped model's sizes. Then the end-to-end
 * table: 1, 8 and 32 concurrent `/continue` through Redis and a worker process.
 */
import './tensorflow-process.js'; // first: sets TensorFlow's environment before anything loads it
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { parseArgs } from 'node:util';
import { DEFAULT_REDIS_URL } from '../config/redis-url.js';
import type { ModelCard } from '../model/store/model-card.js';
import { trainingProcessEnv } from '../model/training/training-process-env.js';
import type { ModelBenchPart, ModelBenchRow, ModelBenchRowOptions } from './bench-row.js';
import { checkBenchInputs } from './check-bench-inputs.js';
import { runE2eBench, type E2eBenchResult } from './e2e-bench.js';
import type { FinetuneBenchResult } from './finetune-bench.js';
import { largestRooms } from './largest-rooms.js';
import { formatQualityTable, formatReplyTable, runQualityRooms } from './quality-table.js';
import { defaultTrainPrecision } from '../model/lstm/output-precision.js';

const REFERENCE = { vocabSize: 8000, embeddingSize: 128, hiddenSize: 256, layers: 1 };

const { values } = parseArgs({
  options: {
    corpus: { type: 'string' },
    json: { type: 'boolean', default: false },
    model: { type: 'string', default: 'models/base' },
    'train-seconds': { type: 'string', default: '90' },
    'sample-ms': { type: 'string', default: '3000' },
    skip: { type: 'string', multiple: true, default: [] },
    'finetune-corpus': { type: 'string' },
    quality: { type: 'boolean', default: false },
    rooms: { type: 'string' },
    messages: { type: 'string', default: '10000' },
    'retrain-seconds': { type: 'string', default: '600' },
    replies: { type: 'string', default: '100' },
    'keep-model': { type: 'string' },
    finetuned: { type: 'string' },
  },
});

if (!values.corpus) {
  console.error(
    'usage: npm run bench -- --corpus FILE [--json] [--model DIR] [--train-seconds N] [--skip e2e]\n' +
      '       npm run bench -- --quality --corpus CHAT.jsonl [--rooms A,B,C] [--messages N] [--retrain-seconds N] [--replies N] [--json]',
  );
  process.exit(2);
}

if (values.quality) {
  const rooms = values.rooms
    ? values.rooms.split(',').map((room) => room.trim())
    : await largestRooms(values.corpus, 3);
  if (!values.json) console.log(`quality of ${values.model} on the rooms ${rooms.join(', ')} of ${values.corpus}`);
  const quality = await runQualityRooms({
    corpus: values.corpus,
    rooms,
    modelDir: values.model,
    messages: Number(values.messages),
    retrainSeconds: Number(values['retrain-seconds']),
    replies: Number(values.replies),
    keepModelDir: values['keep-model'],
    fineTunedDir: values.finetuned,
  });
  console.log(
    values.json
      ? JSON.stringify({ quality }, null, 2)
      : `\n${formatQualityTable(quality)}\n\nReplies:\n\n${formatReplyTable(quality)}`,
  );
  process.exit(0);
}

const inputs = await checkBenchInputs({
  corpus: values.corpus,
  finetuneCorpus: values['finetune-corpus'],
  skip: values.skip,
}).catch((error: unknown) => {
  console.error(`bench: ${(error as Error).message}`);
  process.exit(2);
});
for (const [part, reason] of Object.entries(inputs.skipped))
  console.error(`bench: skipping the ${part} part: ${reason}`);

const rowScript = fileURLToPath(new URL('./bench-row.js', import.meta.url));
const run = promisify(execFile);

/**
 * TensorFlow threads as the bot gives them: every core to training, one to each generation process.
 * Set explicitly: this process's own environment already says 1 once anything here loaded TensorFlow.
 */
async function modelPart(options: ModelBenchRowOptions, env: NodeJS.ProcessEnv): Promise<ModelBenchPart> {
  const { stdout } = await run(process.execPath, [rowScript, JSON.stringify(options)], { maxBuffer: 1 << 20, env });
  return JSON.parse(stdout.trim().split('\n').pop()!) as ModelBenchPart;
}

async function modelRow(options: Omit<ModelBenchRowOptions, 'part'>): Promise<ModelBenchRow> {
  const trained = await modelPart({ ...options, part: 'train' }, trainingProcessEnv());
  const sampled = await modelPart(
    { ...options, config: trained.config!, part: 'sample' },
    { ...process.env, TF_NUM_INTRAOP_THREADS: '1' },
  );
  return {
    ...trained,
    ...sampled,
    peak_rss_bytes: Math.max(trained.peak_rss_bytes, sampled.peak_rss_bytes),
  } as ModelBenchRow;
}

const log = (line: string) => {
  if (!values.json) console.log(line);
};
const trainSeconds = Number(values['train-seconds']);
const sampleMs = Number(values['sample-ms']);
const shippedCard = JSON.parse(await readFile(join(values.model, 'card.json'), 'utf8')) as ModelCard;

log(
  `benchmarking on ${values.corpus}: ${trainSeconds} s of training per row, ` +
    `the output layer in ${defaultTrainPrecision()} precision (LSTM_BOT_TRAIN_PRECISION)`,
);
const reference = await modelRow({ corpus: values.corpus, config: REFERENCE, trainSeconds, sampleMs });
const shipped = await modelRow({
  corpus: values.corpus,
  config: shippedCard.config,
  trainSeconds,
  sampleMs,
  modelDir: values.model,
});

// Fine-tuning: 10,000 messages of one room of a JSONL chat corpus, as a /retrain would (own process).
let finetune: FinetuneBenchResult | undefined;
if (inputs.finetuneRoom !== undefined) {
  const script = fileURLToPath(new URL('./run-finetune-bench.js', import.meta.url));
  const corpus = values['finetune-corpus'] ?? values.corpus;
  log(`fine-tuning ${values.model} on one room of ${corpus}`);
  const args = [script, '--corpus', corpus, '--model', values.model, '--room', inputs.finetuneRoom];
  const { stdout } = await run(process.execPath, args, {
    maxBuffer: 1 << 20,
    env: trainingProcessEnv(),
  });
  finetune = JSON.parse(stdout.trim().split('\n').pop()!) as FinetuneBenchResult;
}

let e2e: E2eBenchResult | undefined;
if (!values.skip.includes('e2e')) {
  e2e = await runE2eBench({
    redisUrl: process.env.REDIS_URL ?? DEFAULT_REDIS_URL,
    modelsDir: join(values.model, '..'),
  });
}

const result = { model: { reference, shipped }, finetune, e2e, skipped: inputs.skipped };
if (values.json) {
  console.log(JSON.stringify(result, null, 2));
} else {
  const sizes = (r: ModelBenchRow) =>
    `${r.config.vocabSize}/${r.config.embeddingSize}/${r.config.hiddenSize}x${r.config.layers}`;
  const mb = (bytes: number) => (bytes / 1e6).toFixed(1);
  console.log(
    '\nmodel      sizes (V/E/HxL)   train tok/s  sample b1 tok/s  sample b16 tok/s  val ppl  size MB  peak RSS MB',
  );
  for (const [name, r] of Object.entries(result.model)) {
    console.log(
      `${name.padEnd(10)} ${sizes(r).padEnd(17)} ${String(r.train_tokens_per_s).padStart(11)}  ${String(r.sample_b1_tokens_per_s).padStart(15)}  ${String(r.sample_b16_tokens_per_s).padStart(16)}  ${r.val_perplexity.toFixed(1).padStart(7)}  ${mb(r.size_bytes).padStart(7)}  ${mb(r.peak_rss_bytes).padStart(11)}`,
    );
  }
  for (const [name, r] of Object.entries(result.model)) {
    if (r.sample_b1_guarded_tokens_per_s === undefined) continue;
    console.log(
      `${name}, sampling with a copy guard of ${r.copy_guard_ngrams} 6-grams (the corpus's first 10,000 messages): batch 1 ${r.sample_b1_guarded_tokens_per_s}, batch 16 ${r.sample_b16_guarded_tokens_per_s} tokens/s`,
    );
  }
  if (finetune) {
    const f = finetune;
    console.log('\nfine-tune  room                 messages  seconds  ppl base  ppl fine-tuned  words added');
    console.log(
      `finetune   ${f.room.padEnd(20)} ${String(f.messages).padStart(8)}  ${f.seconds.toFixed(0).padStart(7)}  ${f.perplexity_base.toFixed(1).padStart(8)}  ${f.perplexity_finetuned.toFixed(1).padStart(13)}  ${String(f.words_added).padStart(11)}`,
    );
  }
  if (e2e) {
    console.log('\nend to end  p50 ms  p95 ms  requests/s');
    for (const [name, r] of Object.entries(e2e)) {
      console.log(
        `${name.padEnd(10)}  ${String(r.p50_ms).padStart(6)}  ${String(r.p95_ms).padStart(6)}  ${String(r.requests_per_s).padStart(10)}`,
      );
    }
  }
}
