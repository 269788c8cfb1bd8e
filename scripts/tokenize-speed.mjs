#!/usr/bin/env node
/**
 * Tokenizer micro-benchmark: `node scripts/tokenize-speed.mjs CORPUS.jsonl [DIST_DIR]` tokenizes the
 * `text` of every line 7 times with the build in DIST_DIR (default `dist`, from `npm run build`) and
 * prints one JSON line: messages, tokens, median and fastest milliseconds per pass. Build two versions
 * into two folders (`npx tsc -p tsconfig.build.json --outDir /tmp/a`) and run them alternately.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';

const [corpus, dist = 'dist'] = process.argv.slice(2);
if (!corpus) {
  console.error('usage: node scripts/tokenize-speed.mjs CORPUS.jsonl [DIST_DIR]');
  process.exit(2);
}
const { tokenize } = await import(pathToFileURL(resolve(dist, 'model/text/tokenize.js')).href);
const texts = readFileSync(corpus, 'utf8')
  .split('\n')
  .filter((line) => line.trim() !== '')
  .map((line) => JSON.parse(line).text);
const passes = [];
let tokens = 0;
for (let pass = 0; pass < 7; pass++) {
  const started = performance.now();
  tokens = 0;
  for (const text of texts) tokens += tokenize(text).length;
  passes.push(performance.now() - started);
}
passes.sort((a, b) => a - b);
console.log(
  JSON.stringify({ messages: texts.length, tokens, medianMs: Math.round(passes[3]), fastestMs: Math.round(passes[0]) }),
);
