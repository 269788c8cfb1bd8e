import './tensorflow-process.js'; // first: sets TensorFlow's environment before anything loads it
import { parseArgs } from 'node:util';
import { DEFAULT_REDIS_URL } from '../config/redis-url.js';
import { runE2eBench } from './e2e-bench.js';

/**
 * `node dist/bench/run-e2e-bench.js [--models DIR] [--words N] [--rounds N] [--json]`: the end-to-end
 * table on its own (`npm run bench` runs the same table as its `e2e` part).
 */
const { values } = parseArgs({
  options: {
    models: { type: 'string', default: process.env.MODELS_DIR ?? 'models' },
    words: { type: 'string', default: '40' },
    rounds: { type: 'string', default: '4' },
    json: { type: 'boolean', default: false },
  },
});
const result = await runE2eBench({
  redisUrl: process.env.REDIS_URL ?? DEFAULT_REDIS_URL,
  modelsDir: values.models,
  words: Number(values.words),
  rounds: Number(values.rounds),
});
if (values.json) {
  console.log(JSON.stringify({ e2e: result }, null, 2));
} else {
  console.log('concurrency  p50 ms  p95 ms  requests/s  requests');
  for (const [name, row] of Object.entries(result)) {
    console.log(
      `${name.padEnd(11)}  ${String(row.p50_ms).padStart(6)}  ${String(row.p95_ms).padStart(6)}  ${String(row.requests_per_s).padStart(10)}  ${String(row.requests).padStart(8)}`,
    );
  }
}
