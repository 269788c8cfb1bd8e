import { fork, type ForkOptions } from 'node:child_process';
import { setPriority } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { trainingThreads } from '../model/tf-threads.js';
import { residentMemory } from './resident-memory.js';
import type { FromTrainChild, ToTrainChild, TrainChildPayload } from './train-child-protocol.js';
import { TrainChildError } from './train-child-error.js';
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
export function runTrainingChild(payload: TrainChildPayload, o: RunTrainingChildOptions): Promise<TrainingSummary> {
  const here = fileURLToPath(import.meta.url);
  // Training's large matmuls use every core (the trainer itself samples nothing).
  const options: ForkOptions = {
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    env: { ...process.env, TF_NUM_INTRAOP_THREADS: trainingThreads() },
  };
  // Compiled (dist): the sibling .js. From source (tests): the .ts through vite-node, in one process.
  const child = here.endsWith('.ts')
    ? fork(resolve('node_modules/vite-node/vite-node.mjs'), [join(dirname(here), 'train-child.ts')], options)
    : fork(join(dirname(here), 'train-child.js'), [], options);
  // Its main thread at once (TensorFlow loads at start-up and its threads inherit it); the child then
  // lowers every other thread it has.
  if (o.niceness !== undefined && child.pid !== undefined) {
    try {
      setPriority(child.pid, o.niceness);
    } catch {
      // the child is already gone: its exit is reported below
    }
  }
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => void (stderr = (stderr + chunk.toString()).slice(-2_000)));
  return new Promise<TrainingSummary>((resolvePromise, reject) => {
    let settled = false;
    let killTimer: NodeJS.Timeout | undefined;
    let peakMb = 0;
    const finish = (error: Error | undefined, summary?: TrainingSummary): void => {
      if (settled) return;
      settled = true;
      clearTimeout(limit);
      clearTimeout(killTimer);
      clearInterval(memoryWatch);
      o.onPeakMemory?.(peakMb);
      o.signal?.removeEventListener('abort', onAbort);
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      if (error) reject(error);
      else resolvePromise(summary!);
    };
    const limit = setTimeout(
      () => finish(new TrainChildError('TRAIN_TIMEOUT', `training took longer than ${o.timeLimitMs} ms`)),
      o.timeLimitMs,
    );
    const memoryWatch = setInterval(() => {
      if (child.pid === undefined) return;
      void residentMemory(child.pid).then((mb) => {
        if (mb === undefined || settled) return;
        peakMb = Math.max(peakMb, mb);
        if (o.memoryLimitMb !== undefined && mb > o.memoryLimitMb) {
          finish(
            new TrainChildError(
              'TRAIN_MEMORY_LIMIT',
              `the training process used ${Math.round(mb)} MB, more than the limit of ${o.memoryLimitMb} MB`,
            ),
          );
        }
      });
    }, o.memoryCheckMs ?? 200);
    const onAbort = (): void => {
      child.send({ type: 'cancel' } satisfies ToTrainChild);
      killTimer = setTimeout(() => finish(new TrainChildError('TRAINING_ABORTED', 'training was cancelled')), 5_000);
    };
    o.signal?.addEventListener('abort', onAbort);
    child.on('message', (message: FromTrainChild) => {
      if (message.type === 'progress') o.onProgress(message.progress);
      else if (message.type === 'checkpoint-ignored') o.onCheckpointIgnored?.(message.reason);
      else if (message.type === 'done') finish(undefined, message.summary);
      else finish(new TrainChildError(message.code, message.message));
    });
    child.on('error', (error) => finish(new TrainChildError('TRAIN_CHILD_FAILED', error.message)));
    child.on('exit', (code, signal) =>
      finish(
        new TrainChildError(
          'TRAIN_CHILD_FAILED',
          `the training process ended (${signal ?? code}) before reporting: ${stderr.trim().slice(-300)}`,
        ),
      ),
    );
    child.send({ type: 'start', payload, niceness: o.niceness } satisfies ToTrainChild);
    if (o.signal?.aborted) onAbort();
  });
}
