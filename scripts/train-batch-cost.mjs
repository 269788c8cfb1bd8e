#!/usr/bin/env node
/**
 * What one training batch costs in each output-layer precision: `node scripts/train-batch-cost.mjs
 * [VOCAB] [ROUNDS] [DIST_DIR]` (default 8000, 2 rounds, `dist` from `npm run build`). At the reference
 * sizes (embedding 128, hidden 256, 64 x 32 tokens, random ids), it alternates float32 and mixed
 * precision: per round, 3 warm-up batches then 20 timed ones of `lstmGradients` (the loss read back)
 * and one Adam step. Prints milliseconds per batch for each and tokens per second.
 */
import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';

const [vocabArg = '8000', roundsArg = '2', dist = 'dist'] = process.argv.slice(2);
const load = (path) => import(pathToFileURL(resolve(dist, path)).href);
const { initParams } = await load('model/lstm/init-params.js');
const { messageStartState, disposeLstmState } = await load('model/lstm/lstm-state.js');
const { disposeGrads, lstmGradients } = await load('model/lstm/lstm-gradients.js');
const { Adam } = await load('model/training/adam.js');

const V = Number(vocabArg);
const [B, T, TIMED, WARM] = [64, 32, 20, 3];
const params = initParams({ vocabSize: V, embeddingSize: 128, hiddenSize: 256, layers: 1 }, 1);
const random = (n) => Int32Array.from({ length: n }, () => Math.floor(Math.random() * V));
const batch = { inputs: random(B * T), targets: random(B * T), batchSize: B, seqLength: T };
const adam = new Adam({ clipNorm: 5 });

function round(precision) {
  let state = messageStartState(params, B, 2); // after <eos>, as training reads
  let gradientsMs = 0;
  let adamMs = 0;
  for (let i = 0; i < WARM + TIMED; i++) {
    const started = performance.now();
    const result = lstmGradients(params, batch, state, {}, precision);
    result.loss.dataSync();
    const computed = performance.now();
    adam.apply(params, result.grads, 0.001);
    if (i >= WARM) {
      gradientsMs += computed - started;
      adamMs += performance.now() - computed;
    }
    disposeLstmState(state);
    state = result.state;
    result.loss.dispose();
    disposeGrads(result.grads);
  }
  disposeLstmState(state);
  const ms = (gradientsMs + adamMs) / TIMED;
  console.log(
    `${precision.padEnd(8)} gradients ${(gradientsMs / TIMED).toFixed(1)} ms  Adam ${(adamMs / TIMED).toFixed(1)} ms  ` +
      `${Math.round((B * T) / (ms / 1000))} tokens/s`,
  );
}

console.log(`vocabulary ${V}, 128/256x1, ${B} x ${T} tokens, ${TIMED} batches per round`);
for (let r = 0; r < Number(roundsArg); r++) for (const precision of ['float32', 'mixed']) round(precision);
