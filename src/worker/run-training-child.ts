import { fork, type ForkOptions } from 'node:child_process';
import { trainingThreads } from '../model/tf-threads.js';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FromTrainChild, ToTrainChild, TrainChildPayload } from './train-child-protocol.js';
import { TrainChildError } from './train-child-error.js';
import type { TrainingProgress, TrainingSummary } from './training-progress.js';

export interface RunTrainingChildOptions {
  onProgress: (progress: TrainingProgress) => void;
  /** Aborting asks the child to stop (it ends with `TRAINING_ABORTED`); killed 5 s later if it does not. */
  signal?: AbortSignal;
  /** The child is killed after this long (`TRAIN_TIMEOUT`). */
  timeLimitMs: number;
}

/** Runs one training in a forked child process and resolves with its summary. */
export function runTrainingChild(payload: TrainChildPayload, o: RunTrainingChildOptions): Promise<TrainingSummary> {
  const here = fileURLToPath(import.meta.url);
  // Compiled (dist): the sibling .js. From source (tests): the .ts through vite-node, in one process.
  // Training's large matmuls use every core (the trainer itself samples nothing).
  const options: ForkOptions = {
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    env: { ...process.env, TF_NUM_INTRAOP_THREADS: trainingThreads() },
  };
  const child = here.endsWith('.ts')
    ? fork(resolve('node_modules/vite-node/vite-node.mjs'), [join(dirname(here), 'train-child.ts')], options)
    : fork(join(dirname(here), 'train-child.js'), [], options);
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => void (stderr = (stderr + chunk.toString()).slice(-2_000)));
  return new Promise<TrainingSummary>((resolvePromise, reject) => {
    let settled = false;
    let killTimer: NodeJS.Timeout | undefined;
    const finish = (error: Error | undefined, summary?: TrainingSummary): void => {
      if (settled) return;
      settled = true;
      clearTimeout(limit);
      clearTimeout(killTimer);
      o.signal?.removeEventListener('abort', onAbort);
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      if (error) reject(error);
      else resolvePromise(summary!);
    };
    const limit = setTimeout(
      () => finish(new TrainChildError('TRAIN_TIMEOUT', `training took longer than ${o.timeLimitMs} ms`)),
      o.timeLimitMs,
    );
    const onAbort = (): void => {
      child.send({ type: 'cancel' } satisfies ToTrainChild);
      killTimer = setTimeout(() => finish(new TrainChildError('TRAINING_ABORTED', 'training was cancelled')), 5_000);
    };
    o.signal?.addEventListener('abort', onAbort);
    child.on('message', (message: FromTrainChild) => {
      if (message.type === 'progress') o.onProgress(message.progress);
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
    child.send({ type: 'start', payload } satisfies ToTrainChild);
    if (o.signal?.aborted) onAbort();
  });
}
