#!/usr/bin/env node
/**
 * What drawing one token costs with a channel model's n-gram mixture: `node scripts/mixture-draw-cost.mjs
 * MODEL_DIR [DIST_DIR]` (a model folder with `ngram.bin`; DIST_DIR default `dist`, from `npm run build`).
 * On a Zipf-shaped row of the model's vocabulary size and 1,000 contexts, it times three ways of one draw,
 * three rounds of a second each, the row copied back before every draw: the LSTM's row alone
 * (`sampleNextToken`), the mixture drawn part by part at the default temperature 0.8 (`sampleFromMixture`,
 * what the bot does; a model with a cache is drawn without it, as a channel with context off is) and the
 * mixture written out over the whole row first (`NgramMixer.mixInto`, at temperature 1). Prints microseconds per draw,
 * and first what reading the n-gram takes: milliseconds and the memory it keeps (heap and array
 * buffers, after a collection: run node with `--expose-gc` for that figure).
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';

const [modelDir, dist = 'dist'] = process.argv.slice(2);
if (!modelDir) {
  console.error('usage: node scripts/mixture-draw-cost.mjs MODEL_DIR [DIST_DIR]');
  process.exit(2);
}
const load = (file) => import(pathToFileURL(resolve(dist, file)).href);
const { readNgramMixer } = await load('model/store/ngram-file.js');
const { sampleFromMixture } = await load('model/sampling/sample-from-mixture.js');
const { sampleNextToken, createSamplingScratch } = await load('model/sampling/sample-next-token.js');
const { mulberry32 } = await load('model/lstm/mulberry32.js');

const card = JSON.parse(readFileSync(resolve(modelDir, 'card.json'), 'utf8'));
const held = () => {
  globalThis.gc?.();
  const { heapUsed, arrayBuffers } = process.memoryUsage();
  return heapUsed + arrayBuffers;
};
const before = held();
const loadStarted = performance.now();
const read = await readNgramMixer(modelDir, card);
const loadMs = performance.now() - loadStarted;
const kept = globalThis.gc ? `${((held() - before) / 1e6).toFixed(1)} MB kept` : 'memory not measured (no --expose-gc)';
if (!read) {
  console.error(`${modelDir} has no n-gram mixture (ngram.bin)`);
  process.exit(2);
}
console.log(`n-gram read in ${loadMs.toFixed(0)} ms, ${kept}`);
const mixer = read.cache ? read.withoutCache() : read;
const V = mixer.vocabSize;
const row = new Float32Array(V);
let total = 0;
for (let w = 2; w < V; w++) total += row[w] = 1 / (w + 1) ** 1.1;
for (let w = 2; w < V; w++) row[w] /= total;
const random = mulberry32(1);
const scratch = createSamplingScratch(V);
const sampling = { greedy: false, topK: 0, topP: 1 };
const banned = [5, 9];
const contexts = Array.from({ length: 1000 }, (_, k) => [2 + ((k * 7) % 300), 2 + ((k * 13) % 500)]);
const work = new Float32Array(V);
const ways = {
  alone: () => sampleNextToken(work, 0, V, sampling, banned, random, scratch),
  mixture: (context) =>
    sampleFromMixture(mixer, work, 0, context, { sampling, temperature: 0.8, banned, random, scratch }),
  written: (context) => {
    mixer.mixInto(work, 0, context);
    return sampleNextToken(work, 0, V, sampling, banned, random, scratch);
  },
};
for (let round = 1; round <= 3; round++) {
  for (const [name, draw] of Object.entries(ways)) {
    const started = performance.now();
    let draws = 0;
    while (performance.now() - started < 1000) {
      for (const context of contexts) {
        work.set(row);
        draw(context);
        draws++;
      }
    }
    const us = ((performance.now() - started) * 1000) / draws;
    console.log(`round ${round} ${name.padEnd(8)} ${us.toFixed(2)} us per draw`);
  }
}
