// Usage (after npm run build): node scripts/keras-reference/export-ids.mjs CORPUS VOCAB OUT
// Writes OUT.ids.bin (Int32 little-endian, the exact id stream our trainer sees) and OUT.json.
import { Buffer } from 'node:buffer';
import { writeFile } from 'node:fs/promises';
import { prepareCorpus } from '../../dist/model/corpus/prepare-corpus.js';
import { corpusFormatOf } from '../../dist/model/corpus/corpus-format-of.js';

const [corpus, vocabArg, out] = process.argv.slice(2);
if (!corpus || !vocabArg || !out) {
  console.error('usage: node export-ids.mjs CORPUS VOCAB OUT');
  process.exit(2);
}
const vocabSize = Number(vocabArg);
if (!Number.isInteger(vocabSize) || vocabSize < 10) {
  console.error(`VOCAB must be an integer >= 10, got ${vocabArg}`);
  process.exit(2);
}
const format = corpusFormatOf(corpus);
const prepared = await prepareCorpus(corpus, { format, vocabSize });
const { ids, vocab, messages } = prepared;
// Int32Array is platform-endian; make the file little-endian explicitly.
const buffer = Buffer.alloc(ids.length * 4);
for (let i = 0; i < ids.length; i++) buffer.writeInt32LE(ids[i], i * 4);
await writeFile(`${out}.ids.bin`, buffer);
let maxId = 0;
for (const id of ids) if (id > maxId) maxId = id;
const meta = {
  vocabSize: vocab.size,
  tokens: ids.length,
  messages,
  format,
  requestedVocabSize: vocabSize,
  maxId,
  unknownRate: prepared.unknownRate,
  sha256: prepared.sha256,
};
await writeFile(`${out}.json`, JSON.stringify(meta) + '\n');
console.log(JSON.stringify(meta));
