import { describe, expect, it } from 'vitest';
import {
  renderTrainingProgress,
  renderTrainingSummary,
  sparkline,
} from '../../../src/training/render-training-reply.js';

describe('training replies', () => {
  it('draws falling losses as a falling sparkline', () => {
    expect(sparkline([4, 3, 2, 1])).toBe('█▆▃▁');
    expect(sparkline([])).toBe('');
  });

  it('names the stage, epoch, batch, loss and time left', () => {
    const text = renderTrainingProgress(
      { stage: 'training', epoch: 2, epochs: 4, batch: 10, batches: 50, loss: 3.456, etaMs: 125_000 },
      [4, 3.456],
    );
    expect(text).toBe('Retraining: epoch 2/4, batch 10/50, loss 3.46 █▁, about 2 min left.');
  });

  it('sums up a published model and a model that was not better', () => {
    const base = {
      messagesUsed: 900,
      heldOutMessages: 100,
      wordsAdded: 2,
      sampleWords: ['zorblax', 'kubectl'],
      perplexityBase: 120.44,
      perplexityFineTuned: 60.06,
      seconds: 42.4,
    };
    expect(renderTrainingSummary({ ...base, published: true, version: 'v1' })).toMatch(
      /on 900 messages in 42 s: learned 2 new words \(zorblax, kubectl\); perplexity on the newest messages 120\.4 -> 60\.1/,
    );
    expect(renderTrainingSummary({ ...base, published: true, perplexityMixture: 51.24 })).toMatch(
      /120\.4 -> 60\.1 \(51\.2 mixed with the channel's word-sequence counts, as it replies\)\. It answers/,
    );
    expect(renderTrainingSummary({ ...base, published: false, perplexityFineTuned: 130 })).toMatch(
      /not better .* 120\.4 -> 130\.0\), so the current model stays/,
    );
  });

  it("says a resumed run's seconds are those after resuming, not the whole retrain's", () => {
    const resumed = {
      messagesUsed: 4500,
      heldOutMessages: 500,
      wordsAdded: 0,
      sampleWords: [],
      perplexityBase: 120,
      perplexityFineTuned: 60,
      seconds: 4,
      resumedFrom: { epochs: 2, tokensSeen: 126_976 },
    };
    expect(renderTrainingSummary({ ...resumed, published: true })).toMatch(
      /on 4500 messages in 4 s after resuming the interrupted run: learned/,
    );
    expect(renderTrainingSummary({ ...resumed, published: false })).toMatch(
      /in 4 s after resuming the interrupted run, but/,
    );
  });
});
