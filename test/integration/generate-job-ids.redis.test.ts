import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { GenerateProducer } from '../../src/queue/generate-producer.js';
import type { GenerateJobData } from '../../src/queue/generate-job.js';
import { deleteKeys, TEST_REDIS_URL, testPrefix } from '../helpers/redis-test-env.js';

/**
 * A Redis that restarts without its data (the default: it keeps nothing on disk) must not give a new
 * request the id of one a worker may still be answering: the reply outbox and Discord's nonce are
 * keyed by it, so the new request would be taken for answered and get nothing.
 */
const prefix = testPrefix();
const redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: 1 });
const producer = new GenerateProducer(redis, prefix);

afterAll(async () => {
  await producer.close();
  redis.disconnect();
  await deleteKeys(TEST_REDIS_URL, prefix);
});

const request = (prompt: string): GenerateJobData => ({
  v: 1,
  channel: { platform: 'console', workspace: 'local', channel: 'general' },
  userId: 'u1',
  prompt,
  options: { temperature: 1, maxWords: 3 },
  replyTo: { platform: 'console', channelId: 'general', sessionId: 's1' },
  requestedAt: Date.now(),
});

describe('generate job ids', () => {
  it('are new after Redis lost every key, and never a counter', async () => {
    const first = await producer.enqueue(request('before the restart'));
    await deleteKeys(TEST_REDIS_URL, prefix); // what an empty Redis after a restart holds of this queue
    const second = await producer.enqueue(request('after the restart'));
    expect(second).not.toBe(first);
    for (const id of [first, second]) expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect((await producer.queue.getJob(second))?.data.prompt).toBe('after the restart');
  });
});
