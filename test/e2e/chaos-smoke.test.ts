import { describe, expect, it } from 'vitest';
import { runExperiment } from '../../src/chaos/run-experiment.js';

/**
 * `npm run chaos` in small: the no-kill baseline with the tiny model and 10 requests, through the
 * compiled CLI (the test set-up builds `dist/` when it is stale). Redis, the workers and the bot are the
 * harness's own processes.
 */
describe('the chaos harness', () => {
  it('answers 10 requests once each in the baseline, counts that add up, and stops every process it started', async () => {
    const lines: string[] = [];
    const result = await runExperiment({
      name: 'none',
      modelDir: 'test/fixtures/models/tiny',
      requests: 10,
      concurrency: 4,
      durationMs: 1_000,
      killAfterMs: 0,
      waitMs: 30_000,
      watchAfterDisruptionMs: 0,
      ackTimeoutMs: 10_000,
      startTimeoutMs: 45_000,
      keepDir: false,
      log: (line) => lines.push(line),
    });

    const c = result.counts;
    expect(c.accepted + c.rejected).toBe(10);
    expect(c.once + c.twice + c.never + c.apology + c.unavailable + c.other).toBe(c.accepted);
    expect(c).toMatchObject({ accepted: 10, once: 10, twice: 0, never: 0, unattributedPosts: 0 });
    expect(result.crashed).toEqual([]);
    expect(result.dir).toBeUndefined();
    const pids = Object.values(result.pids).flat();
    expect(pids).toHaveLength(4);
    for (const pid of pids) expect(() => process.kill(pid, 0), `process ${pid} still runs`).toThrow();
  }, 120_000);
});
