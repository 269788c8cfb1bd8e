/**
 * `node dist/bench/run-quality-bench.js --corpus FILE --room NAME [--model DIR] [--messages N]
 * [--train-seconds N] [--replies N] [--keep-model DIR | --finetuned DIR]`: one room of `npm run bench -- --quality`, printed as one JSON line
 * (its own process, so that its memory and TensorFlow threads are its own). Progress goes to stderr.
 */
import './tensorflow-process.js'; // first: sets TensorFlow's environment before anything loads it
import { parseArgs } from 'node:util';
import { DEFAULT_REDIS_URL } from '../config/redis-url.js';
import { qualityBench } from './quality-bench.js';

const { values } = parseArgs({
  options: {
    corpus: { type: 'string' },
    room: { type: 'string' },
    model: { type: 'string', default: 'models/base' },
    messages: { type: 'string', default: '10000' },
    'train-seconds': { type: 'string', default: '600' },
    replies: { type: 'string', default: '100' },
    'keep-model': { type: 'string' },
    finetuned: { type: 'string' },
  },
});
if (!values.corpus || !values.room) {
  console.error('usage: run-quality-bench --corpus FILE --room NAME [--model DIR] [--messages N] [--train-seconds N]');
  process.exit(2);
}
const result = await qualityBench({
  corpus: values.corpus,
  room: values.room,
  modelDir: values.model,
  redisUrl: process.env.REDIS_URL ?? DEFAULT_REDIS_URL,
  messages: Number(values.messages),
  trainSeconds: Number(values['train-seconds']),
  replies: Number(values.replies),
  keepModelDir: values['keep-model'],
  fineTunedDir: values.finetuned,
  log: (line) => console.error(line),
});
console.log(JSON.stringify(result));
