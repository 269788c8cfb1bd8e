import { Queue } from 'bullmq';
import { Redis } from 'ioredis';

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
