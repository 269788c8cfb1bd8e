import { fork, type ChildProcess, type ForkOptions } from 'node:child_process';
import { setPriority } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CodedError } from '../errors/coded-error.js';
import { isErrorCode } from '../errors/error-codes.js';
import { trainingProcessEnv } from '../model/training/training-process-env.js';
import { residentMemory } from './resident-memory.js';
import type { FromTrainChild, ToTrainChild, TrainChildPayload } from './train-child-protocol.js';
import type { TrainingProgress, TrainingSummary } from './training-progress.js';

export interface RunTrainingChildOptions {
  onProgress: (progress: TrainingProgress) => void;
  /** Aborting asks the child to stop (it ends with `TRAINING_ABORTED`); killed 5 s later if it does not. */
  signal?: AbortSignal;
  /** The child is killed after this long (`TRAIN_TIMEOUT`). */
  timeLimitMs: number;
  /** The child is killed when its resident memory (native included) exceeds this (`TRAIN_MEMORY_LIMIT`). */
  memoryLimitMb?: number;
  /** How often the child's resident memory is looked at (default 200 ms). */
  memoryCheckMs?: number;
  /** The child found a checkpoint it could not resume from, and started over. */
  onCheckpointIgnored?: (reason: string) => void;
  /** The child's nice value (`TRAIN_NICENESS`): training yields the CPU to the bot and the workers. */
  niceness?: number;
  /** Called once the child is gone with the most resident memory seen (MB; 0 when it could not be read). */
  onPeakMemory?: (peakMb: number) => void;
}

/** Runs one training in a forked child process and resolves with its summary. */
export function runTrainingChild(
  payload: TrainChildPayload,
  options: RunTrainingChildOptions,
): Promise<TrainingSummary> {
  const child = forkTrainingChild(options.niceness);
  const stderr = tailOfStderr(child);
  return new Promise<TrainingSummary>((resolvePromise, reject) => {
    let settled = false;
    let killTimer: NodeJS.Timeout | undefined;
    const memory = watchChildMemory(child, options, (error) => finish(error));
    const finish = (error: Error | undefined, summary?: TrainingSummary): void => {
      if (settled) return;
      settled = true;
      clearTimeout(limit);
      clearTimeout(killTimer);
      options.onPeakMemory?.(memory.stop());
      options.signal?.removeEventListener('abort', onAbort);
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      if (error) reject(error);
      else resolvePromise(summary!);
    };
    const limit = setTimeout(
      () => finish(new CodedError('TRAIN_TIMEOUT', `training took longer than ${options.timeLimitMs} ms`)),
      options.timeLimitMs,
    );
    const onAbort = (): void => {
      child.send({ type: 'cancel' } satisfies ToTrainChild);
      killTimer = setTimeout(() => finish(new CodedError('TRAINING_ABORTED', 'training was cancelled')), 5_000);
    };
    options.signal?.addEventListener('abort', onAbort);
    listenToChild(child, options, finish, stderr);
    child.send({ type: 'start', payload, niceness: options.niceness } satisfies ToTrainChild);
    if (options.signal?.aborted) onAbort();
  });
}

/** Forks the training child, at `niceness` when given. */
function forkTrainingChild(niceness: number | undefined): ChildProcess {
  const here = fileURLToPath(import.meta.url);
  // Training's large matmuls use every core (the trainer itself samples nothing); glibc keeps freed memory.
  const options: ForkOptions = { stdio: ['ignore', 'ignore', 'pipe', 'ipc'], env: trainingProcessEnv() };
  // Compiled (dist): the sibling .js. From source (tests): the .ts through vite-node, in one process.
  const child = here.endsWith('.ts')
    ? fork(resolve('node_modules/vite-node/vite-node.mjs'), [join(dirname(here), 'train-child.ts')], options)
    : fork(join(dirname(here), 'train-child.js'), [], options);
  // Its main thread at once (TensorFlow loads at start-up and its threads inherit it); the child then
  // lowers every other thread it has.
  if (niceness !== undefined && child.pid !== undefined) {
    try {
      setPriority(child.pid, niceness);
    } catch {
      // the child is already gone: its exit is reported below
    }
  }
  return child;
}

/** The last 2,000 characters the child wrote to stderr, as they are now. */
function tailOfStderr(child: ChildProcess): () => string {
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => void (stderr = (stderr + chunk.toString()).slice(-2_000)));
  return () => stderr;
}

/**
 * Looks at the child's resident memory every `memoryCheckMs` and calls `exceeded` once it passes the
 * limit (`TRAIN_MEMORY_LIMIT`); `stop()` ends the watch and gives the most memory seen (MB).
 */
function watchChildMemory(
  child: ChildProcess,
  options: Pick<RunTrainingChildOptions, 'memoryLimitMb' | 'memoryCheckMs'>,
  exceeded: (error: CodedError) => void,
): { stop(): number } {
  let peakMb = 0;
  let stopped = false;
  const watch = setInterval(() => {
    if (child.pid === undefined) return;
    void residentMemory(child.pid).then((mb) => {
      if (mb === undefined || stopped) return;
      peakMb = Math.max(peakMb, mb);
      if (options.memoryLimitMb !== undefined && mb > options.memoryLimitMb) {
        const message = `the training process used ${Math.round(mb)} MB, more than the limit of ${options.memoryLimitMb} MB`;
        exceeded(new CodedError('TRAIN_MEMORY_LIMIT', message, { details: { limitMb: options.memoryLimitMb } }));
      }
    });
  }, options.memoryCheckMs ?? 200);
  return {
    stop: () => {
      stopped = true;
      clearInterval(watch);
      return peakMb;
    },
  };
}

/** Relays the child's messages; its failure, error or exit settles the run (`finish` ignores all but the first). */
function listenToChild(
  child: ChildProcess,
  options: RunTrainingChildOptions,
  finish: (error: Error | undefined, summary?: TrainingSummary) => void,
  stderr: () => string,
): void {
  child.on('message', (message: FromTrainChild) => {
    if (message.type === 'progress') options.onProgress(message.progress);
    else if (message.type === 'checkpoint-ignored') options.onCheckpointIgnored?.(message.reason);
    else if (message.type === 'done') finish(undefined, message.summary);
    // The child reports its error's code: one of ours, or another (a library's) that becomes `INTERNAL`.
    else {
      const code = isErrorCode(message.code) ? message.code : 'INTERNAL';
      finish(new CodedError(code, message.message, { details: message.details }));
    }
  });
  child.on('error', (error) => finish(new CodedError('TRAIN_CHILD_FAILED', error.message)));
  child.on('exit', (code, signal) =>
    finish(
      new CodedError(
        'TRAIN_CHILD_FAILED',
        `the training process ended (${signal ?? code}) before reporting: ${stderr().trim().slice(-300)}`,
      ),
    ),
  );
}
