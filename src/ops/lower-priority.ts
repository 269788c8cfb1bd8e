import { readdirSync } from 'node:fs';
import { getPriority, setPriority } from 'node:os';

/**
 * Raises the nice value of this process to `niceness` (never lowers it: that needs privileges), so
 * that the CPU goes to the bot first when they share a host. On Linux a nice value belongs to each
 * thread, so every thread already running (V8's, libuv's, TensorFlow's) is changed, and threads
 * started later inherit it from their creator; elsewhere the process as a whole. Returns the threads
 * changed; a thread that is gone meanwhile is skipped.
 */
export function lowerPriority(niceness: number): number {
  let threads: number[];
  try {
    threads = readdirSync('/proc/self/task').map(Number);
  } catch {
    if (getPriority() < niceness) setPriority(niceness);
    return 1;
  }
  let changed = 0;
  for (const tid of threads) {
    try {
      if (getPriority(tid) < niceness) setPriority(tid, niceness);
      changed += 1;
    } catch {
      // the thread ended between the listing and the call
    }
  }
  return changed;
}
