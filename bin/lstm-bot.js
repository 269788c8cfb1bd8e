#!/usr/bin/env node
// Entry point of the `lstm-bot` command: runs the compiled CLI, or says how to build it.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const cli = new URL('../dist/main/cli.js', import.meta.url);
if (!existsSync(fileURLToPath(cli))) {
  console.error('lstm-bot: the compiled code is missing; run `npm ci` (or `npm run build`) first.');
  process.exit(1);
}
// TensorFlow reads its thread count once, when it loads: training commands get every core,
// generation one thread per process (dist/model/lstm/tf-threads.js says why).
const { intraOpThreadsFor, setTensorflowEnv } = await import(
  new URL('../dist/model/lstm/tf-threads.js', import.meta.url).href
);
setTensorflowEnv(intraOpThreadsFor(process.argv[2]));
const { main } = await import(cli.href);
await main(process.argv);
