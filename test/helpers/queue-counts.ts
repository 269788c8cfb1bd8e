import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { vi } from 'vitest';

/** Counts of a queue's jobs by state, read straight from Redis. */
export async function queueCounts(url: string, prefix: string, name: string): Promise<Record<string, number>> {
  const connection = new Redis(url, { maxRetriesPerRequest: 1 });
  const queue = new Queue(name, { connection, prefix });
  try {
    return await queue.getJobCounts('wait', 'active', 'delayed', 'completed', 'failed');
  } finally {
    await queue.close();
    connection.disconnect();
  }
}

/**
 * Waits until none of the queues `names` has a job waiting, active or delayed (retries included):
 * all the work they were given is processed, so a test can check that nothing more happened.
 */
export async function waitForQueuesSettled(
  url: string,
  prefix: string,
  names: readonly string[],
  timeoutMs = 20_000,
): Promise<void> {
  await vi.waitFor(
    async () => {
      for (const name of names) {
        const { wait = 0, active = 0, delayed = 0 } = await queueCounts(url, prefix, name);
        if (wait + active + delayed > 0)
          throw new Error(`queue ${name}: ${wait} waiting, ${active} active, ${delayed} delayed`);
      }
    },
    { timeout: timeoutMs, interval: 50 },
  );
}

/** The data of every job of the queue `name` in any state, read straight from Redis. */
export async function queueJobData<T>(url: string, prefix: string, name: string): Promise<T[]> {
  const connection = new Redis(url, { maxRetriesPerRequest: 1 });
  const queue = new Queue(name, { connection, prefix });
  try {
    const jobs = await queue.getJobs(['wait', 'active', 'delayed', 'completed', 'failed']);
    return jobs.map((job) => job.data as T);
  } finally {
    await queue.close();
    connection.disconnect();
  }
}
