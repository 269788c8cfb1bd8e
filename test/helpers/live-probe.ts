import { Redis } from 'ioredis';
import { Queue } from 'bullmq';
import { expect, vi } from 'vitest';
import { GENERATE_QUEUE } from '../../src/queue/queue-names.js';
import { TEST_REDIS_URL } from './redis-test-env.js';
import type { PipelineScope } from './pipeline-harness.js';

/**
 * What the live-learning and chatter tests read back: a channel's stored history in Redis, the jobs
 * ever added to the `generate` queue, and what the platform fakes tell.
 */
export function liveProbe(scope: PipelineScope) {
  const redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: 1 });
  const queue = () => new Queue(GENERATE_QUEUE, { connection: redis, prefix: scope.prefix });
  scope.closers.push(async () => redis.disconnect());
  const stored = async (platform: string, workspace: string, channel: string) =>
    (await redis.lrange(`${scope.prefix}:history:${platform}/${workspace}/${channel}`, 0, -1)).map(
      (row) => JSON.parse(row) as { text: string; author?: string },
    );
  /** Waits until the channel's stored history holds `text` (so every earlier message was handled too). */
  const waitForStored = (platform: string, workspace: string, channel: string, text: string) =>
    vi.waitFor(async () => expect((await stored(platform, workspace, channel)).map((m) => m.text)).toContain(text), {
      timeout: 10_000,
      interval: 50,
    });
  /** Jobs ever added to the `generate` queue (completed ones are kept an hour). */
  const generateJobs = async () => {
    const q = queue();
    try {
      const counts = await q.getJobCounts('waiting', 'active', 'delayed', 'completed', 'failed', 'prioritized');
      return Object.values(counts).reduce((sum, n) => sum + n, 0);
    } finally {
      await q.close();
    }
  };
  /** The channel's chatter chance, as `/settings chatter` stores it (the hash field `chatter`). */
  const setChatter = (platform: string, workspace: string, channel: string, chance: number) =>
    redis.hset(`${scope.prefix}:settings:${platform}/${workspace}/${channel}`, 'chatter', String(chance));
  return { redis, stored, waitForStored, generateJobs, setChatter };
}
