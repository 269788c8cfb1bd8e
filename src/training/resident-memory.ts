import { readFile } from 'node:fs/promises';

/**
 * The resident memory (VmRSS) of process `pid` in MB, from `/proc/<pid>/status` (Linux); undefined
 * where there is no such file (another OS, or the process is gone). Counts native memory too
 * (TensorFlow's tensors live outside V8's heap), which `--max-old-space-size` does not bound.
 */
export async function residentMemory(pid: number): Promise<number | undefined> {
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    const kb = /^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1];
    return kb === undefined ? undefined : Number(kb) / 1024;
  } catch {
    return undefined;
  }
}
