import type { Job } from 'bullmq';
import { describe, expect, it, vi } from 'vitest';
import { CodedError } from '../../../src/errors/coded-error.js';
import { createGenerationProcessor } from '../../../src/generation/generation-processor.js';
import { ModelCache } from '../../../src/generation/model-cache.js';
import type { ResolvedModel } from '../../../src/model/store/model-resolver.js';
import type { TextGenerator } from '../../../src/model/sampling/text-generator.js';
import type { ReplyJobData } from '../../../src/queue/reply-job.js';
import { silentLogger } from '../../helpers/redis-test-env.js';

const channel = { platform: 'console', workspace: 'local', channel: 'general' } as const;
const job = {
  id: 'job-1',
  attemptsMade: 0,
  opts: { attempts: 3 },
  data: {
    v: 1,
    channel,
    userId: 'u1',
    prompt: 'hello there',
    options: { temperature: 0.8, maxWords: 5 },
    replyTo: { platform: 'console', channelId: 'general', sessionId: 's1' },
    requestedAt: Date.now(),
  },
} as unknown as Job;

const model = (scope: 'channel' | 'base', dir: string): ResolvedModel => ({
  scope,
  location: `/models/${scope}`,
  dir,
  version: `${scope}-v`,
  key: `${dir}@1`,
});

const generator: TextGenerator = {
  modelId: 'base-v',
  generate: async (requests) =>
    requests.map((r) => ({ prompt: r.prompt, continuation: 'and more', tokens: 2, stoppedBy: 'word-limit' as const })),
  dispose: () => undefined,
};

describe('the generate job processor', () => {
  it('resolves afresh a model version that vanished before it was loaded (a rollback), and answers at once', async () => {
    const warn = vi.spyOn(silentLogger, 'warn');
    let rolledBack = false;
    const resolver = {
      resolve: async () => (rolledBack ? model('base', '/models/base') : model('channel', '/models/channel/v2')),
      invalidate: vi.fn(() => (rolledBack = true)),
    };
    const posted: ReplyJobData[] = [];
    const processor = createGenerationProcessor({
      resolver,
      cache: new ModelCache(2, () => undefined),
      loadGenerator: async (dir) => {
        if (dir === '/models/channel/v2') throw new CodedError('MODEL_NOT_FOUND', `no model in ${dir}`);
        return generator;
      },
      outbox: { post: async (data) => (posted.push(data), true), has: async () => false },
      batch: { maxBatch: 4, waitMs: 0 },
      timeoutMs: 5_000,
      baseModelDir: '/models/base',
      logger: silentLogger,
    });
    await expect(processor(job)).resolves.toMatchObject({ outcome: 'answered', modelVersion: 'base base-v' });
    expect(resolver.invalidate).toHaveBeenCalledWith('console/local/general');
    expect(posted.map((p) => p.outcome)).toEqual(['answer']);
    expect(warn).not.toHaveBeenCalled();
    warn.mockRestore();
  });
});
