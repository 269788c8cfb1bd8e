/**
 * `node dist/bench/run-sample-bench.js [--model DIR] [--json] [--ms N] [--context N]`: sampling tokens/s at batch 1
 * and 16, for a saved model or (default) random weights at the reference sizes (vocabulary 8,000,
 * embedding 128, one LSTM of 256). Speed depends on the sizes, not on the weights' values. A model
 * with its channel n-gram (`ngram.bin`) is measured twice: the LSTM alone, then mixed with the n-gram;
 * with its copy guard (`copy6.bin`) a third time: mixed (if it has the n-gram) and guarded. `--context N`:
 * each stream first reads N ids of context, as with a channel's context on (they fill the cache of a
 * mixture that has one; default 0).
 */
import './tensorflow-process.js'; // first: sets TensorFlow's environment before anything loads it
import { parseArgs } from 'node:util';
import { randomLstmParams } from './random-lstm-params.js';
import { sampleBench } from './sample-bench.js';
import { loadModel } from '../model/store/load-model.js';
import { disposeParams } from '../model/lstm/lstm-params.js';
import type { LstmParams } from '../model/lstm/lstm-params.js';
import { tfLoad } from '../model/lstm/tf.js';

const { values } = parseArgs({
  options: {
    model: { type: 'string' },
    ms: { type: 'string', default: '3000' },
    json: { type: 'boolean', default: false },
    context: { type: 'string', default: '0' },
  },
});
const contextTokens = Number(values.context);
if (!(Number.isInteger(contextTokens) && contextTokens >= 0)) throw new Error('--context takes a whole number of ids');
const minDurationMs = Number(values.ms);
const modelDir = values.model;
const model = modelDir ? await loadModel(modelDir) : undefined;
const params: LstmParams =
  model?.params ?? randomLstmParams({ vocabSize: 8000, embeddingSize: 128, hiddenSize: 256, layers: 1 }, 1, 8);
const rows = await sampleBench(params, { minDurationMs, contextTokens });
const mixer = model?.mixer;
const mixedRows = mixer && (await sampleBench(params, { minDurationMs, mixer, contextTokens }));
const copyGuard = model?.copyGuard;
const guardedRows = copyGuard && (await sampleBench(params, { minDurationMs, mixer, copyGuard, contextTokens }));
const sizes = params.config;
disposeParams(params);
if (values.json) {
  const mixed = mixedRows && { mixed_rows: mixedRows, lstm_weight: mixer.lstmWeight };
  const guarded = guardedRows && { guarded_rows: guardedRows, copy_guard_ngrams: copyGuard.ngrams.size };
  console.log(
    JSON.stringify({
      backend: tfLoad.backend,
      model: modelDir ?? 'random',
      sizes,
      context_tokens: contextTokens,
      rows,
      ...mixed,
      ...guarded,
    }),
  );
} else {
  const context = contextTokens > 0 ? `, ${contextTokens} ids of context each` : '';
  console.log(
    `sampling, ${modelDir ?? 'random weights'} ${JSON.stringify(sizes)}, backend ${tfLoad.backend}${context}`,
  );
  const labelled = rows.map((row) => ({ row, label: '' }));
  for (const row of mixedRows ?? []) labelled.push({ row, label: ` mixed with its n-gram (λ ${mixer!.lstmWeight})` });
  for (const row of guardedRows ?? []) labelled.push({ row, label: ` ${mixer ? 'mixed, ' : ''}with its copy guard` });
  for (const { row, label } of labelled) {
    const rate = row.tokensPerS.toFixed(0).padStart(6);
    console.log(
      `  batch ${String(row.batchSize).padStart(2)}${label}: ${rate} tokens/s (${row.tokens} tokens in ${row.seconds.toFixed(2)} s)`,
    );
  }
}
