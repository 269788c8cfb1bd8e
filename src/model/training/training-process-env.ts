/**
 * The environment of a process that trains: TensorFlow on every core, and glibc told to keep freed
 * memory in the heap. By default glibc maps every block above its mmap threshold (the [rows, vocab]
 * softmax of a batch is 45-90 MB) fresh from the kernel and returns it when freed, so every batch
 * page-faults its largest tensors in again. With `MALLOC_MMAP_MAX_=0 MALLOC_TRIM_THRESHOLD_=1e12`
 * a training batch at the reference sizes went from about 49,000 page faults to about 1,000, and its
 * CPU time (user + system) fell by 9%, system time from 131 to 14 ms (`/tmp` measurement recorded
 * in docs/performance.md). glibc reads these once, at start-up, so they must be in the
 * environment the process starts with. An operator's own values win.
 *
 * Kept in glibc's heap, freed blocks fragmented it in some runs: the RSS of a fine-tuning child of
 * 2,864 messages grew by about 400 MB a batch through its first epoch in one run of five or six, to
 * 2,670-4,604 MB where the others peaked at 954-1,628 (`scripts/measure-train-rss.mjs`, 2026-12-07;
 * above the 3,072 MB `TRAIN_MEMORY_LIMIT_MB`, such a run is stopped). TensorFlow's own best-fit
 * allocator with coalescing (`TF_CPU_ALLOCATOR_USE_BFC`) keeps the blocks and hands them out again to
 * the same-sized tensors of the next batch: 840-862 MB in every run, at the same speed. TensorFlow
 * reads it when it makes its first tensor.
 */
import { isTrainingCommand, trainingThreads } from '../lstm/tf-threads.js';

export function trainingProcessEnv(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  return {
    ...withTensorflowTrainingAllocator(withGlibcTrainingSettings(env)),
    TF_NUM_INTRAOP_THREADS: trainingThreads(),
  };
}

/** `env` with TensorFlow's best-fit allocator for training, unless the operator chose otherwise. */
export function withTensorflowTrainingAllocator(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return { TF_CPU_ALLOCATOR_USE_BFC: 'true', ...env };
}

/** `env` with glibc's settings for training added, unless the operator set them. */
export function withGlibcTrainingSettings(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return { MALLOC_MMAP_MAX_: '0', MALLOC_TRIM_THRESHOLD_: '1000000000000', ...env };
}

/**
 * Whether an `lstm-bot <command>` process must run its command in a new process started with glibc's
 * settings for training (`bin/lstm-bot.js` does): a command that trains or evaluates, in a process
 * that did not start with them. An operator who set `MALLOC_MMAP_MAX_` (to anything) keeps their own.
 */
export function needsTrainingRestart(command: string | undefined, env: NodeJS.ProcessEnv = process.env): boolean {
  return isTrainingCommand(command) && env.MALLOC_MMAP_MAX_ === undefined;
}

/** The variable that carries a restarted command's start (ms since the epoch) into its new process. */
export const COMMAND_STARTED_AT = 'LSTM_BOT_COMMAND_STARTED_AT';

/** When the user started this command: before a restart for glibc's settings, if there was one. */
export function commandStartedAt(env: NodeJS.ProcessEnv = process.env): number {
  const carried = Number(env[COMMAND_STARTED_AT]);
  return Number.isFinite(carried) && carried > 0 && carried <= performance.timeOrigin
    ? carried
    : performance.timeOrigin;
}
