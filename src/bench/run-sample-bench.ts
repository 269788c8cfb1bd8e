/**
 * `node dist/bench/run-sample-bench.js [--json] [--ms N]`: sampling tokens/s at batch 1 and 16 for
 * random weights at the reference sizes (vocabulary 8,000, embedding 128, one LSTM of 256).
 * Speed does not depend on the weights' values, only on the sizes.
 */
import { randomLstmParams } from './random-lstm-params.js';
import { sampleBench } from './sample-bench.js';
import { disposeParams } from '../model/lstm-params.js';
import { tfLoad } from '../model/tf.js';

const args = process.argv.slice(2);
const msIndex = args.indexOf('--ms');
const minDurationMs = msIndex >= 0 ? Number(args[msIndex + 1]) : 3000;
const config = { vocabSize: 8000, embeddingSize: 128, hiddenSize: 256, layers: 1 };
const params = randomLstmParams(config, 1, 8);
const rows = await sampleBench(params, { minDurationMs });
disposeParams(params);
if (args.includes('--json')) {
  console.log(JSON.stringify({ backend: tfLoad.backend, config, rows }));
} else {
  console.log(`sampling, reference sizes, backend ${tfLoad.backend}`);
  for (const row of rows) {
    console.log(
      `  batch ${String(row.batchSize).padStart(2)}: ${row.tokensPerS.toFixed(0).padStart(6)} tokens/s (${row.tokens} tokens in ${row.seconds.toFixed(2)} s)`,
    );
  }
}
