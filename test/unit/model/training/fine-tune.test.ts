import { describe, expect, it } from 'vitest';
import { fineTune, fineTuneDefaults } from '../../../../src/model/training/fine-tune.js';
import { loadModel } from '../../../../src/model/store/load-model.js';
import { disposeParams } from '../../../../src/model/lstm/lstm-params.js';
import { channelMessages } from '../../../helpers/channel-messages.js';
import { tieParams } from '../../../../src/model/lstm/tied-output.js';

const BASE = 'test/fixtures/models/tiny';
const texts = channelMessages('zorblax', 600).map((m) => m.text);
const small = { batchSize: 8, seqLength: 8 };

describe('fineTune', () => {
  it('ends within its time budget, the evaluations of the held-out messages and the final validation included', async () => {
    const base = await loadModel(BASE);
    const budgetMs = 10_000;
    const started = performance.now();
    const result = await fineTune(base, texts, {
      ...small,
      epochs: 100_000,
      timeBudgetMs: budgetMs,
      validateEveryBatches: 10,
    });
    expect(performance.now() - started).toBeLessThanOrEqual(budgetMs);
    expect(result.stoppedBy).toBe('time-budget');
    expect(result.tokensSeen).toBeGreaterThan(0);
    disposeParams(result.params);
    disposeParams(base.params);
  });

  it('fine-tunes a tied base into a tied channel model: new words learnt through one vector each', async () => {
    const untied = await loadModel(BASE);
    const base = { params: tieParams(untied.params), vocab: untied.vocab };
    const result = await fineTune(base, texts, { ...small, epochs: 2 });
    expect(result.wordsAdded).toContain('zorblax');
    expect(result.params.config).toMatchObject({ tiedEmbedding: true, vocabSize: result.vocab.size });
    expect(result.params.outputProjection!.shape).toEqual([
      base.params.config.hiddenSize,
      base.params.config.embeddingSize,
    ]);
    expect(result.params.outputKernel).toBeUndefined();
    expect(result.perplexityFineTuned).toBeLessThan(result.perplexityBase);
    for (const params of [result.params, base.params, untied.params]) disposeParams(params);
  });

  it('reports the settings it trained with, dropout and schedule included', async () => {
    const base = await loadModel(BASE);
    const dropout = { input: 0.1, output: 0.2 };
    const result = await fineTune(base, texts, { ...small, epochs: 1, dropout, warmupFraction: 0.2, decay: 'linear' });
    expect(result.settings).toEqual({
      ...small,
      epochs: 1,
      learningRate: fineTuneDefaults.learningRate,
      finalLearningRateFactor: fineTuneDefaults.finalLearningRateFactor,
      warmupFraction: 0.2,
      decay: 'linear',
      dropout,
      averageFrom: fineTuneDefaults.averageFrom,
    });
    expect(result.epochs).toBe(1);
    expect(result.stoppedBy).toBe('epochs');
    disposeParams(result.params);
    disposeParams(base.params);
  });
});
