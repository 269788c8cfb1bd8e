import { DEFAULT_REDIS_URL } from '../config/redis-url.js';
import { runE2eBench } from './e2e-bench.js';

/**
 * `node dist/bench/run-e2e-bench.js [--models DIR] [--words N] [--rounds N] [--json]`: the end-to-end
 * table on its own (the lead wires it into `npm run bench` as `e2e`).
 */
const args = process.argv.slice(2);
const flag = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const result = await runE2eBench({
  redisUrl: process.env.REDIS_URL ?? DEFAULT_REDIS_URL,
  modelsDir: flag('--models') ?? process.env.MODELS_DIR ?? 'models',
  words: Number(flag('--words') ?? 40),
  rounds: Number(flag('--rounds') ?? 4),
});
if (args.includes('--json')) {
  console.log(JSON.stringify({ e2e: result }, null, 2));
} else {
  console.log('concurrency  p50 ms  p95 ms  requests/s  requests');
  for (const [name, row] of Object.entries(result)) {
    console.log(
      `${name.padEnd(11)}  ${String(row.p50_ms).padStart(6)}  ${String(row.p95_ms).padStart(6)}  ${String(row.requests_per_s).padStart(10)}  ${String(row.requests).padStart(8)}`,
    );
  }
}
