#!/usr/bin/env node
/**
 * Scores models on the validation tails a base training splits off its corpora, like for like:
 *
 *   node scripts/validation-tails.mjs --corpus A.jsonl --corpus B.txt [--exclude-channels X,Y]
 *     [--validation-split 0.02] [--batch 8,32,64,128] MODEL_DIR [MODEL_DIR ...]
 *
 * The corpora are read as `lstm-bot train --from FIRST_MODEL` reads them (the first model's vocabulary,
 * each corpus's newest share held out), and each model scores each tail on that vocabulary
 * (`evaluateOnVocabulary`, as the training's closing lines do at batch 32) at every batch size given:
 * the stripes differ with the batch size, so a model that fails from some stripe's start shows it. Prints
 * one line per model and corpus. Needs `npm run build`.
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    corpus: { type: 'string', multiple: true },
    'exclude-channels': { type: 'string', default: '' },
    'validation-split': { type: 'string', default: '0.02' },
    batch: { type: 'string', default: '32' },
  },
});
if (!values.corpus?.length || positionals.length === 0) {
  console.error('usage: node scripts/validation-tails.mjs --corpus FILE [--corpus FILE ...] [--exclude-channels A,B]');
  console.error('         [--validation-split F] [--batch 8,32,...] MODEL_DIR [MODEL_DIR ...]');
  process.exit(2);
}
const load = (file) => import(pathToFileURL(resolve('dist', file)).href);
const { prepareCorpora } = await load('model/corpus/prepare-corpora.js');
const { corpusFormatOf } = await load('model/corpus/corpus-format-of.js');
const { loadModel } = await load('model/store/load-model.js');
const { evaluateOnVocabulary } = await load('model/evaluation/evaluate-on-vocabulary.js');

const models = [];
for (const dir of positionals) models.push(await loadModel(dir));
const excluded = values['exclude-channels'].split(',').filter(Boolean);
const corpus = await prepareCorpora(
  values.corpus.map((path) => ({ path, format: corpusFormatOf(path), repeat: 1 })),
  {
    vocabSize: models[0].vocab.size,
    grow: models[0].vocab,
    excludeChannels: new Set(excluded),
    validationFraction: Number(values['validation-split']),
  },
);
const batches = values.batch.split(',').map(Number);
for (const model of models) {
  corpus.sources.forEach((source, i) => {
    const ids = corpus.validation[i];
    const scores = batches.map((batchSize) => {
      const { perplexity } = evaluateOnVocabulary(model, ids, corpus.vocab, { batchSize, seqLength: 32 });
      return `batch ${batchSize}: ${perplexity.toFixed(2)}`;
    });
    console.log(`${model.card.id} ${source.name} (${ids.length} tokens) ${scores.join(', ')}`);
  });
}
