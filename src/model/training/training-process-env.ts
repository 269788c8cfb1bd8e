/**
 * The environment of a process that trains: TensorFlow on every core, and glibc told to keep freed
 * memory in the heap. By default glibc maps every block above its mmap threshold (the [rows, vocab]
 * softmax of a batch is 45-90 MB) fresh from the kernel and returns it when freed, so every batch
 * page-faults its largest tensors in again. With `MALLOC_MMAP_MAX_=0 MALLOC_TRIM_THRESHOLD_=1e12`
 * a training batch at the reference sizes went from about 49,000 page faults to about 1,000, and its
 * CPU time (user + system) fell by 9%, system time from 131 to 14 ms (`/tmp` measurement recorded
 * in the README's performance section). glibc reads these once, at start-up, so they must be in the
 * environment the process starts with. An operator's own values win.
 */
import { trainingThreads } from '../lstm/tf-threads.js';

export function trainingProcessEnv(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  return {
    MALLOC_MMAP_MAX_: '0',
    MALLOC_TRIM_THRESHOLD_: '1000000000000',
    ...env,
    TF_NUM_INTRAOP_THREADS: trainingThreads(),
  };
}
