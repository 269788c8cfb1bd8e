#!/usr/bin/env node
/**
 * What bfloat16 products cost a model's perplexity: `node scripts/precision-perplexity.mjs MODEL_DIR
 * CORPUS [LINES] [DIST_DIR]` (a lines corpus; its last LINES lines, default 8,000; DIST_DIR default
 * `dist`, from `npm run build`). Scores the same tokens in 64 stripes of 32 with the state carried,
 * once with the output layer's product in float32 and once on bfloat16 operands (`lstmGradients`'s
 * loss in each precision: the softmax in float32 either way), and prints both perplexities.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const [modelDir, corpus, linesArg = '8000', dist = 'dist'] = process.argv.slice(2);
if (!modelDir || !corpus) {
  console.error('usage: node scripts/precision-perplexity.mjs MODEL_DIR CORPUS [LINES] [DIST_DIR]');
  process.exit(2);
}
const load = (path) => import(pathToFileURL(resolve(dist, path)).href);
const { loadModel } = await load('model/store/load-model.js');
const { encodeCorpus } = await load('model/corpus/encode-corpus.js');
const { StripeBatches } = await load('model/lstm/stripe-batches.js');
const { disposeGrads, lstmGradients } = await load('model/lstm/lstm-gradients.js');
const { messageStartState, disposeLstmState } = await load('model/lstm/lstm-state.js');

const model = await loadModel(modelDir);
const lines = readFileSync(corpus, 'utf8')
  .split('\n')
  .filter((line) => line.trim() !== '')
  .slice(-Number(linesArg));
const batches = StripeBatches.fit(await encodeCorpus(lines, model.vocab), 64, 32);
for (const precision of ['float32', 'mixed']) {
  let state = messageStartState(model.params, batches.batchSize, 2); // after <eos>, as evaluation reads
  let lossSum = 0;
  for (let b = 0; b < batches.count; b++) {
    const result = lstmGradients(model.params, batches.batch(b), state, {}, precision);
    lossSum += result.loss.dataSync()[0];
    disposeLstmState(state);
    state = result.state;
    result.loss.dispose();
    disposeGrads(result.grads);
  }
  disposeLstmState(state);
  const tokens = batches.count * batches.batchSize * batches.seqLength;
  console.log(`${precision.padEnd(8)} ${tokens} tokens  perplexity ${Math.exp(lossSum / batches.count).toFixed(3)}`);
}
