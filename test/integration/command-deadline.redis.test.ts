import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { CommandHandlers } from '../../src/commands/command-handlers.js';
import { commandLimitsFrom } from '../../src/commands/command-limits.js';
import type { CommandContext } from '../../src/commands/command-context.js';
import { CodedError } from '../../src/errors/coded-error.js';
import { GenerateProducer } from '../../src/queue/generate-producer.js';
import { renderReply } from '../../src/replies/reply-catalogue.js';
import { deleteKeys, silentLogger, TEST_REDIS_URL, testPrefix } from '../helpers/redis-test-env.js';

/**
 * A command that misses its deadline is answered "temporarily unavailable" (the Slack adapter puts
 * that in its acknowledgement): its work still in flight must then not take effect, or the user would
 * be told both "unavailable" and, later, the answer.
 */
const prefix = testPrefix();
const redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: 1 });
const producer = new GenerateProducer(redis, prefix);
const context: CommandContext = {
  channel: { platform: 'slack', workspace: 'T1', channel: 'C1' },
  caller: { userId: 'U1', canManageChannel: false, canManageWorkspace: false },
  replyTo: {
    platform: 'slack',
    responseUrl: 'https://hooks.invalid/r',
    channelId: 'C1',
    userId: 'U1',
    expiresAt: Date.now() + 60_000,
  },
};
const unused = async (): Promise<never> => {
  throw new Error('unused');
};

afterAll(async () => {
  await producer.close();
  redis.disconnect();
  await deleteKeys(TEST_REDIS_URL, prefix);
});

async function queued(): Promise<number> {
  const counts = await producer.queue.getJobCounts('wait', 'active', 'delayed', 'prioritized', 'completed', 'failed');
  return Object.values(counts).reduce((sum, n) => sum + n, 0);
}

describe('a command past its deadline', () => {
  it('removes a job whose add completed after the deadline, and says so by rejecting', async () => {
    const before = await queued();
    const controller = new AbortController();
    const adding = producer.enqueue(
      {
        v: 1,
        channel: context.channel,
        userId: 'U1',
        prompt: 'too late',
        options: { temperature: 1, maxWords: 3 },
        replyTo: context.replyTo,
        requestedAt: Date.now(),
      },
      { signal: controller.signal },
    );
    controller.abort(); // the deadline passes while the add is on its way to Redis
    await expect(adding).rejects.toMatchObject({ code: 'SERVICE_UNAVAILABLE' });
    await expect(adding).rejects.toBeInstanceOf(CodedError);
    expect(await queued()).toBe(before);
  });

  it('answers "unavailable" (failed) when the Redis work is slow, and does not queue the request afterwards', async () => {
    const before = await queued();
    // The handler reads the channel's settings right after the rate limiter answers: proof it went on.
    let wentOn: () => void = () => undefined;
    const wentOnAfterDeadline = new Promise<void>((resolve) => (wentOn = resolve));
    const enqueued: Promise<unknown>[] = [];
    const handlers = new CommandHandlers({
      settings: {
        get: async () => {
          wentOn();
          return {};
        },
        setTemperature: async () => {},
        resetTemperature: async () => {},
        setSwitch: async () => {},
        setNumber: async () => {},
      },
      queue: {
        enqueue: (data, options) => {
          const adding = producer.enqueue(data, options);
          enqueued.push(adding.catch(() => undefined));
          return adding;
        },
      },
      // A rate limiter that answers only after the deadline.
      rateLimiter: { take: () => new Promise((r) => setTimeout(() => r({ allowed: true }), 300)) },
      status: {
        read: async () => {
          throw new Error('unused');
        },
      } as never,
      limits: commandLimitsFrom({
        DEFAULT_TEMPERATURE: 0.8,
        DEFAULT_WORDS: 40,
        MIN_WORDS: 0,
        MAX_WORDS: 200,
        MAX_PROMPT_CHARS: 1_000,
      }),
      logger: silentLogger,
      timeoutMs: 100,
      retrain: unused,
      forget: unused,
    });
    const reply = await handlers.handleCommand({ name: 'continue', prompt: 'slow redis' }, context);
    expect(reply).toMatchObject({ text: renderReply('command.unavailable'), visibility: 'private', failed: true });
    expect(reply.pendingJobId).toBeUndefined();
    await wentOnAfterDeadline;
    await new Promise((resolve) => setImmediate(resolve)); // its steps after reading the settings
    await Promise.all(enqueued);
    expect(await queued()).toBe(before);
  });
});
