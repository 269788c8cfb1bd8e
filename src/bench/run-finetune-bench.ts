/**
 * `node dist/bench/run-finetune-bench.js --corpus FILE --model DIR [--messages N] [--room NAME]
 * [--train-seconds N]`: the fine-tuning row of `npm run bench`, printed as one JSON line (run in its
 * own process so its memory and TensorFlow threads are its own).
 */
import './tensorflow-process.js'; // first: sets TensorFlow's environment before anything loads it
import { parseArgs } from 'node:util';
import { finetuneBench } from './finetune-bench.js';

const { values } = parseArgs({
  options: {
    corpus: { type: 'string' },
    model: { type: 'string', default: 'models/base' },
    messages: { type: 'string', default: '10000' },
    room: { type: 'string' },
    'train-seconds': { type: 'string' },
  },
});
if (!values.corpus) {
  console.error(
    'usage: run-finetune-bench --corpus FILE [--model DIR] [--messages N] [--room NAME] [--train-seconds N]',
  );
  process.exit(2);
}
const result = await finetuneBench({
  corpus: values.corpus,
  modelDir: values.model,
  messages: Number(values.messages),
  room: values.room,
  trainSeconds: values['train-seconds'] === undefined ? undefined : Number(values['train-seconds']),
});
console.log(JSON.stringify(result));
