/**
 * How many threads TensorFlow uses inside one kernel. TensorFlow reads `TF_NUM_INTRAOP_THREADS` once,
 * when it loads, so each process calls `setTensorflowEnv` at its start, before its first import of `tf.ts`.
 *
 * Sampling runs many small kernels, where waking a second thread costs more than it saves on these
 * machines: at the reference sizes one thread sampled 1,589 tokens/s at batch 1 and 10,596 at batch
 * 16, two threads 1,374 and 8,264 (the sampling part of a bench row, `TF_NUM_INTRAOP_THREADS=1` or
 * `2 node dist/bench/bench-row.js '{"part":"sample",...}'`). So generation processes use one thread each
 * (run one worker per core), and training, whose large matmuls do use every core, gets them all.
 * Imports nothing that loads TensorFlow.
 */
import { availableParallelism } from 'node:os';

/** The `lstm-bot` commands that train or evaluate, and so want every core. */
const TRAINING_COMMANDS = new Set(['train', 'eval']);

/** The thread count for a training process: every core. */
export function trainingThreads(): string {
  return String(availableParallelism());
}

/** Whether `lstm-bot <command>` trains or evaluates. */
export function isTrainingCommand(command: string | undefined): boolean {
  return TRAINING_COMMANDS.has(command ?? '');
}

/** The thread count for an `lstm-bot <command>` process (an operator's TF_NUM_INTRAOP_THREADS wins). */
export function intraOpThreadsFor(command: string | undefined): string {
  return isTrainingCommand(command) ? trainingThreads() : '1';
}

/**
 * Sets TensorFlow's environment for this process (an operator's own values win): C++ log level 2
 * (warnings and errors only) and `threads` per kernel. Call at process start, before anything
 * imports `tf.ts`: TensorFlow reads both once, when it loads.
 */
export function setTensorflowEnv(threads: string, env: NodeJS.ProcessEnv = process.env): void {
  env.TF_CPP_MIN_LOG_LEVEL ??= '2';
  env.TF_NUM_INTRAOP_THREADS ??= threads;
}
