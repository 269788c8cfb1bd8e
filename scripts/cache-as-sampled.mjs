#!/usr/bin/env node
/**
 * A channel model's mixture scored as the bot samples a reply, with and without the reply's own tokens
 * in its cache: `node scripts/cache-as-sampled.mjs KEPT_DIR CHAT.jsonl ROOM [DIST_DIR]`, KEPT_DIR a
 * model the quality bench kept (`--keep-model`: the model folder and `retrain-summary.json`), DIST_DIR
 * default `dist` (from `npm run build`).
 *
 * Each held-out message of at least four tokens is read after the channel's 8 messages before it (each
 * followed by `<eos>`, their last 256 tokens: what the worker reads with context on; `--context-tokens N`
 * keeps their last N, 0 for a channel with context off: then the LSTM reads `<eos>` alone), the LSTM from a
 * zero state; its first three tokens are the prompt, and its other tokens and `<eos>` are scored by the
 * card's mixture, w1 P_lstm + w2 P_kn + w3 P_cache, the cache of the card's window and θ holding either
 * every token before the target (context, prompt and the reply so far) or the context and the prompt
 * only. Prints the perplexities of both, of the LSTM alone, of λ P_lstm + (1 - λ) P_kn, and of the
 * unigram cache (θ 0) at the same weights both ways.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { 'context-tokens': { type: 'string', default: '256' } },
});
const [keptDir, corpus, room, dist = 'dist'] = positionals;
const CONTEXT_TOKENS = Number(values['context-tokens']);
if (!keptDir || !corpus || !room || !(Number.isInteger(CONTEXT_TOKENS) && CONTEXT_TOKENS >= 0)) {
  console.error('usage: node scripts/cache-as-sampled.mjs [--context-tokens N] KEPT_DIR CHAT.jsonl ROOM [DIST_DIR]');
  process.exit(2);
}
const load = (file) => import(pathToFileURL(resolve(dist, file)).href);
const { roomMessages, retrainSplit } = await load('bench/quality-bench.js');
const { loadModel } = await load('model/store/load-model.js');
const { evaluateTargets } = await load('model/evaluation/target-probabilities.js');
const { tokenize } = await load('model/text/tokenize.js');
const { EOS_ID } = await load('model/text/special-tokens.js');

const CONTEXT_MESSAGES = 8;
const PROMPT_TOKENS = 3;

const { summary } = JSON.parse(readFileSync(resolve(keptDir, 'retrain-summary.json'), 'utf8'));
const model = await loadModel(keptDir);
const cache = model.card.mixture?.cache;
if (!model.mixer || !cache) throw new Error(`${keptDir} has no mixture with a cache`);
const { train, holdout } = retrainSplit(await roomMessages(corpus, room, 10_000), summary.heldOutMessages);
const texts = [...train.slice(-CONTEXT_MESSAGES), ...holdout];
const ids = texts.map((text) => tokenize(text).map((token) => model.vocab.idOf(token)));
const [w1, w2, w3] = cache.weights;
const theta = cache.theta ?? 0;
const width = model.params.config.hiddenSize;

/** P_cache(seq[p]) over the positions [max(0, p - window), min(p, end)), weighed by exp(θ h_p · h_q). */
function cacheProbability(seq, hidden, p, end, th) {
  const from = Math.max(0, p - cache.window);
  const to = Math.min(p, end);
  if (to <= from) return 0;
  const logits = [];
  for (let q = from; q < to; q++) {
    let dot = 0;
    for (let k = 0; k < width; k++) dot += hidden[p * width + k] * hidden[q * width + k];
    logits.push(th * dot);
  }
  const max = Math.max(...logits);
  let total = 0;
  let hits = 0;
  logits.forEach((logit, i) => {
    const weight = Math.exp(logit - max);
    total += weight;
    if (seq[from + i] === seq[p]) hits += weight;
  });
  return hits / total;
}

const names = ['lstm', 'lstm + kn', 'cache with reply', 'cache without reply', 'unigram with', 'unigram without'];
const losses = new Float64Array(names.length);
let targets = 0;
for (let i = CONTEXT_MESSAGES; i < texts.length; i++) {
  if (ids[i].length <= PROMPT_TOKENS) continue;
  const context = [];
  for (let j = i - CONTEXT_MESSAGES; j < i; j++) context.push(...ids[j], EOS_ID);
  const read = CONTEXT_TOKENS > 0 ? context.slice(-CONTEXT_TOKENS) : [EOS_ID];
  const seq = Int32Array.from([...read, ...ids[i], EOS_ID]);
  const scored = evaluateTargets(model.params, seq, { batchSize: 1, seqLength: seq.length - 1, hidden: true });
  const hidden = scored.hidden.values;
  const promptEnd = read.length + PROMPT_TOKENS;
  for (let p = promptEnd; p < seq.length; p++) {
    const lstm = scored.probabilities[p - 1];
    const kn = model.mixer.probability(model.mixer.contextOf(seq, p), seq[p]);
    const mixed = (end, th) => w1 * lstm + w2 * kn + w3 * cacheProbability(seq, hidden, p, end, th);
    const parts = [
      lstm,
      model.mixer.lstmWeight * lstm + (1 - model.mixer.lstmWeight) * kn,
      mixed(p, theta),
      mixed(promptEnd, theta),
      mixed(p, 0),
      mixed(promptEnd, 0),
    ];
    parts.forEach((probability, k) => (losses[k] -= Math.log(probability)));
    targets++;
  }
}
console.log(
  `${room}: ${targets} targets; the card's cache: window ${cache.window}, θ ${theta}, weights ${cache.weights.map((w) => w.toFixed(2)).join(' / ')}`,
);
names.forEach((name, k) => console.log(`${name.padEnd(20)} ${Math.exp(losses[k] / targets).toFixed(2)}`));
