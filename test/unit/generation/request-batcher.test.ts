import { describe, expect, it } from 'vitest';
import type { GenerationRequest } from '../../../src/model/sampling/text-generator.js';
import { RequestBatcher } from '../../../src/generation/request-batcher.js';
import { FakeTextGenerator } from '../../helpers/fake-text-generator.js';

const request = (prompt: string, maxWords = 1): GenerationRequest => ({ prompt, maxWords, temperature: 0.8 });

describe('RequestBatcher', () => {
  it('serves requests that arrive together with one generate call, each getting its own result', async () => {
    const generator = new FakeTextGenerator('m');
    const batcher = new RequestBatcher(generator, { maxBatch: 8, waitMs: 5 });
    const results = await Promise.all(['a', 'b', 'c'].map((p, i) => batcher.submit(request(p, i + 1))));
    expect(generator.batches).toEqual([3]);
    expect(results.map((r) => `${r.prompt}:${r.continuation}`)).toEqual(['a:mw0', 'b:mw0 mw1', 'c:mw0 mw1 mw2']);
  });

  it('never puts more than maxBatch requests in one call', async () => {
    const generator = new FakeTextGenerator('m');
    const batcher = new RequestBatcher(generator, { maxBatch: 4, waitMs: 5 });
    await Promise.all(Array.from({ length: 10 }, (_, i) => batcher.submit(request(`p${i}`))));
    expect(generator.batches.every((size) => size <= 4)).toBe(true);
    expect(generator.batches.reduce((a, b) => a + b, 0)).toBe(10);
  });

  it('gathers requests arriving during a batch into the next one', async () => {
    const generator = new FakeTextGenerator('m');
    generator.hold();
    const batcher = new RequestBatcher(generator, { maxBatch: 16, waitMs: 0 });
    const first = batcher.submit(request('first'));
    while (generator.batches.length === 0) await new Promise((r) => setImmediate(r));
    const later = Array.from({ length: 5 }, (_, i) => batcher.submit(request(`later${i}`)));
    generator.release();
    await Promise.all([first, ...later]);
    expect(generator.batches).toEqual([1, 5]);
  });

  it('rejects every request of a batch whose generate call fails, and keeps serving', async () => {
    let fail = true;
    const generator = {
      generate: async (requests: readonly GenerationRequest[]) => {
        if (fail) throw new Error('model exploded');
        return requests.map((r) => ({
          prompt: r.prompt,
          continuation: 'ok',
          tokens: 1,
          stoppedBy: 'word-limit' as const,
        }));
      },
    };
    const batcher = new RequestBatcher(generator, { maxBatch: 8, waitMs: 2 });
    const failed = await Promise.allSettled([batcher.submit(request('a')), batcher.submit(request('b'))]);
    expect(failed.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    fail = false;
    await expect(batcher.submit(request('c'))).resolves.toMatchObject({ continuation: 'ok' });
  });
});
