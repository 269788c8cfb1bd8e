#!/usr/bin/env node
/**
 * The quality bench's replies under sampling variants, measured and judged, without retraining:
 *
 *   node scripts/reply-variants.mjs --corpus CHAT.jsonl --room ROOM --finetuned DIR [--judge models/base]
 *     [--seed-sets 8] [--generator-dist DIST] [--out PREFIX] VARIANTS_JSON
 *
 * DIR is a room's fine-tuned model kept by `npm run bench -- --quality --keep-model DIR`; the prompts are
 * the bench's (the first three words of 100 held-out messages). VARIANTS_JSON is an array of
 * `{ name, request?, generator?, memory?, noMixer?, context? }`: `request` overrides the bench's request (e.g.
 * `{"temperature": 1, "topP": 0.9}`), `generator` is `LstmTextGenerator`'s options (e.g.
 * `{"noRepeatNgramSize": 2, "recentReplyPenalty": 0.12}`), `memory` N generates the replies one after
 * another, each given the N before it as `recentReplies` (as the worker's memory does), `context` N gives
 * each request the N channel messages before its prompt's message (as with `/settings context on`), `noMixer`
 * samples the LSTM alone. Each variant runs with seeds 0-99, 1000-1099, ... (`--seed-sets`), and prints
 * one JSON line: distinct-2, words per reply and copied 6-grams (`ReplyStatsCounter`, means over the seed
 * sets, distinct-2 per set too), the replies' perplexity under the judge given their prompts (all
 * targets; without those the judge lacks; for the first and second 50 replies), under the fine-tuned
 * LSTM itself, and 3 examples. The first line is what people wrote after the same prompts.
 * `--generator-dist` takes the generator from another build (e.g. an older commit's `dist`), the
 * measures from `dist`. `--out PREFIX` writes each variant's first 100 replies to PREFIX-NAME.txt.
 */
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    corpus: { type: 'string' },
    room: { type: 'string' },
    finetuned: { type: 'string' },
    judge: { type: 'string', default: 'models/base' },
    'seed-sets': { type: 'string', default: '8' },
    'generator-dist': { type: 'string', default: 'dist' },
    out: { type: 'string' },
  },
});
if (!values.corpus || !values.room || !values.finetuned || positionals.length !== 1) {
  console.error(
    'usage: node scripts/reply-variants.mjs --corpus F --room R --finetuned DIR [--judge DIR] VARIANTS_JSON',
  );
  process.exit(2);
}
const load = (dist, file) => import(pathToFileURL(resolve(dist, file)).href);
await load('dist', 'bench/tensorflow-process.js');
const { roomMessages, retrainSplit } = await load('dist', 'bench/quality-bench.js');
const { judgeReplies, promptSources, promptSourceIndices } = await load('dist', 'bench/room-replies.js');
const { readKeptFineTune } = await load('dist', 'bench/kept-finetune.js');
const { ReplyStatsCounter } = await load('dist', 'bench/reply-stats.js');
const gen = values['generator-dist'];
const { loadModel } = await load(gen, 'model/store/load-model.js');
const { cloneParams } = await load(gen, 'model/lstm/clone-params.js');
const { LstmTextGenerator } = await load(gen, 'model/sampling/lstm-text-generator.js');

const seedSets = Number(values['seed-sets']);
const stored = await roomMessages(values.corpus, values.room, 10_000);
const { summary } = await readKeptFineTune(values.finetuned);
const { train, holdout } = retrainSplit(stored, summary.heldOutMessages);
const model = await loadModel(values.finetuned);
const judge = await loadModel(values.judge);
const vocab = model.vocab;
const sources = promptSources(holdout, 100, 3);
// Where each prompt's message is in the channel, for `context`.
const sourceIndex = promptSourceIndices(holdout, 100, 3).map((i) => train.length + i);
const channel = [...train, ...holdout];
const prompts = sources.map((words) => words.slice(0, 3).join(' '));
const counter = new ReplyStatsCounter(train);
const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;
const round = (x, digits = 3) => Number(x.toFixed(digits));

function measure(pairs) {
  const stats = counter.stats(pairs.map((pair) => pair.continuation));
  const all = judgeReplies(judge, vocab, pairs);
  return {
    distinct2: stats.distinct2,
    words: stats.meanWords,
    copied: stats.copied6gramRate,
    judge: all.judge_perplexity,
    judgeKnown: all.judge_perplexity_known,
    judgeUnknown: all.judge_unknown_rate,
    firstHalf: judgeReplies(judge, vocab, pairs.slice(0, 50)).judge_perplexity,
    secondHalf: judgeReplies(judge, vocab, pairs.slice(50)).judge_perplexity,
    fineTuned: judgeReplies(model, vocab, pairs).judge_perplexity,
  };
}

function report(name, sets) {
  const measured = sets.map(measure);
  const avg = (key, digits = 1) => round(mean(measured.map((m) => m[key])), digits);
  const line = {
    variant: name,
    distinct2: avg('distinct2', 3),
    distinct2_per_set: measured.map((m) => round(m.distinct2)),
    words: avg('words'),
    copied: avg('copied', 3),
    judge_ppl: avg('judge'),
    judge_ppl_known: avg('judgeKnown'),
    judge_ppl_halves: [avg('firstHalf'), avg('secondHalf')],
    judge_unknown: avg('judgeUnknown', 3),
    finetuned_ppl: avg('fineTuned'),
    examples: sets[0].slice(0, 3).map((pair) => `${pair.prompt} ⟶ ${pair.continuation}`),
  };
  console.log(JSON.stringify(line));
}

async function replies(variant, seedSet) {
  const generator = new LstmTextGenerator(
    { ...model, params: cloneParams(model.params), ...(variant.noMixer && { mixer: undefined }) },
    variant.generator ?? {},
  );
  const requests = prompts.map((prompt, i) => ({
    prompt,
    ...(variant.context && { context: channel.slice(sourceIndex[i] - variant.context, sourceIndex[i]) }),
    ...{ temperature: 0.8, maxWords: 40, minWords: 8, seed: seedSet * 1000 + i },
    ...variant.request,
  }));
  let results = [];
  try {
    if (!variant.memory) results = await generator.generate(requests);
    else
      for (const request of requests) {
        const recentReplies = results.slice(-variant.memory).map((result) => result.replyTokens);
        results.push((await generator.generate([{ ...request, recentReplies }]))[0]);
      }
  } finally {
    generator.dispose();
  }
  return results.map((result, i) => ({
    prompt: prompts[i],
    continuation: result.continuation,
    ended: result.stoppedBy === 'end-of-message',
  }));
}

report('people', [
  sources.map((words, i) => ({ prompt: prompts[i], continuation: words.slice(3).join(' '), ended: true })),
]);
for (const variant of JSON.parse(positionals[0])) {
  const sets = [];
  for (let set = 0; set < seedSets; set++) sets.push(await replies(variant, set));
  report(variant.name, sets);
  if (values.out) {
    const lines = sets[0].map((pair) => `${pair.prompt} ⟶ ${pair.continuation}`);
    await writeFile(`${values.out}-${variant.name}.txt`, `${lines.join('\n')}\n`);
  }
}
