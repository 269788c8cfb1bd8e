#!/usr/bin/env node
// Entry point of the `lstm-bot` command: runs the compiled CLI, or says how to build it.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

const cli = new URL('../dist/main/cli.js', import.meta.url);
if (!existsSync(fileURLToPath(cli))) {
  console.error('lstm-bot: the compiled code is missing; run `npm ci` (or `npm run build`) first.');
  process.exit(1);
}
const command = process.argv[2];
// Neither import loads TensorFlow.
const { intraOpThreadsFor, isTrainingCommand, setTensorflowEnv } = await import(
  new URL('../dist/model/lstm/tf-threads.js', import.meta.url).href
);
const { COMMAND_STARTED_AT, needsTrainingRestart, withGlibcTrainingSettings, withTensorflowTrainingAllocator } =
  await import(new URL('../dist/model/training/training-process-env.js', import.meta.url).href);

if (needsTrainingRestart(command)) {
  // glibc reads its malloc settings once, at start-up, and training needs them
  // (dist/model/training/training-process-env.js says why): the command runs in a process started with
  // them. A terminal's Ctrl-C reaches both processes, and the command handles it; SIGTERM and SIGHUP
  // sent to this one are passed on. This process ends as the command does.
  const env = {
    ...withTensorflowTrainingAllocator(withGlibcTrainingSettings(process.env)),
    [COMMAND_STARTED_AT]: String(performance.timeOrigin),
  };
  const child = spawn(process.execPath, [...process.execArgv, ...process.argv.slice(1)], { stdio: 'inherit', env });
  process.on('SIGINT', () => undefined);
  for (const signal of ['SIGTERM', 'SIGHUP']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => {
    if (signal === null) process.exit(code ?? 1);
    process.removeAllListeners(signal);
    process.kill(process.pid, signal);
  });
} else {
  // TensorFlow reads its thread count once, when it loads: training commands get every core,
  // generation one thread per process (dist/model/lstm/tf-threads.js says why).
  setTensorflowEnv(intraOpThreadsFor(command));
  // TensorFlow's own allocator for training (dist/model/training/training-process-env.js says why).
  if (isTrainingCommand(command)) Object.assign(process.env, withTensorflowTrainingAllocator(process.env));
  const { main } = await import(cli.href);
  await main(process.argv);
}
