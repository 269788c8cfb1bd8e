import { UnrecoverableError } from 'bullmq';
import { describe, expect, it } from 'vitest';
import { createMetrics, type Metrics } from '../../../src/ops/metrics.js';
import { withTrainingMetrics } from '../../../src/training/training-metrics.js';
import type { TrainingSummary } from '../../../src/training/training-progress.js';

const summary: TrainingSummary = {
  published: true,
  messagesUsed: 10,
  heldOutMessages: 2,
  wordsAdded: 1,
  sampleWords: [],
  perplexityBase: 9,
  perplexityFineTuned: 8,
  seconds: 1,
};

async function sample(metrics: Metrics, name: string, labels: Record<string, string>): Promise<number | undefined> {
  const metric = (await metrics.registry.getMetricsAsJSON()).find((m) => m.name === name);
  const values = (metric?.values ?? []) as { labels: Record<string, string | number>; value: number }[];
  return values.find((v) => Object.entries(labels).every(([k, l]) => v.labels[k] === l))?.value;
}

describe('withTrainingMetrics', () => {
  it("follows a training's phase and progress, then counts its outcome and forgets its progress", async () => {
    const metrics = createMetrics();
    const seen: { phase?: number; ratio?: number }[] = [];
    await withTrainingMetrics(metrics, { id: 'j1', attemptsMade: 0, opts: { attempts: 2 } }, async (progress) => {
      progress({ stage: 'loading' });
      seen.push({ phase: await sample(metrics, 'lstm_bot_training_phase', { phase: 'loading' }) });
      progress({ stage: 'training', epoch: 2, epochs: 2, batch: 5, batches: 10, loss: 3, etaMs: 100 });
      seen.push({
        phase: await sample(metrics, 'lstm_bot_training_phase', { phase: 'training' }),
        ratio: await sample(metrics, 'lstm_bot_training_progress_ratio', { job: 'j1' }),
      });
      return summary;
    });
    expect(seen).toEqual([{ phase: 1 }, { phase: 1, ratio: 0.75 }]);
    expect(await sample(metrics, 'lstm_bot_training_phase', { phase: 'training' })).toBe(0);
    expect(await sample(metrics, 'lstm_bot_training_progress_ratio', { job: 'j1' })).toBeUndefined();
    expect(await sample(metrics, 'lstm_bot_training_jobs_total', { outcome: 'published' })).toBe(1);
  });

  it('counts a run that will be tried again apart from one that failed for good, and a cancelled one', async () => {
    const metrics = createMetrics();
    const job = { id: 'j2', attemptsMade: 0, opts: { attempts: 2 } };
    await expect(withTrainingMetrics(metrics, job, () => Promise.reject(new Error('redis')))).rejects.toThrow();
    await expect(
      withTrainingMetrics(metrics, job, () => Promise.reject(new UnrecoverableError('too few'))),
    ).rejects.toThrow();
    await withTrainingMetrics(metrics, job, async () => ({ cancelled: true as const }));
    await withTrainingMetrics(metrics, job, async () => ({ ...summary, published: false }));
    for (const outcome of ['retried', 'failed', 'cancelled', 'not_improved'])
      expect(await sample(metrics, 'lstm_bot_training_jobs_total', { outcome })).toBe(1);
  });
});
