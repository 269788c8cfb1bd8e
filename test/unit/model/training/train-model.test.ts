import { describe, expect, it } from 'vitest';
import { evaluateModel } from '../../../../src/model/evaluation/evaluate-model.js';
import { initParams } from '../../../../src/model/lstm/init-params.js';
import { disposeParams, paramTensors } from '../../../../src/model/lstm/lstm-params.js';
import { prepareCorpus } from '../../../../src/model/corpus/prepare-corpus.js';
import { tf } from '../../../../src/model/lstm/tf.js';
import type { TrainEvent } from '../../../../src/model/training/train-events.js';
import { trainModel } from '../../../../src/model/training/train-model.js';
import { scoredPositions } from '../../../../src/model/evaluation/scored-positions.js';
import { StripeBatches } from '../../../../src/model/lstm/stripe-batches.js';
import { zeroPeephole } from '../../../../src/model/lstm/lstm-block-cell.js';

const FIXTURE = new URL('../../../fixtures/tiny-dialogue.txt', import.meta.url).pathname;
const sizes = { embeddingSize: 16, hiddenSize: 24 };
const options = { batchSize: 16, seqLength: 16, learningRate: 0.01, validationFraction: 0.1, progressEveryBatches: 5 };

async function corpus() {
  return prepareCorpus(FIXTURE, { format: 'lines', vocabSize: 64 });
}

/** Where `trainModel` splits `ids` at `options`' validation fraction, and the batches of an epoch before it. */
function trainingSplit(ids: Int32Array): { splitAt: number; batches: number } {
  const splitAt = Math.floor(ids.length * (1 - options.validationFraction));
  return { splitAt, batches: StripeBatches.fit(ids.subarray(0, splitAt), options.batchSize, options.seqLength).count };
}

describe('trainModel', () => {
  it('lowers the validation loss of a small repetitive corpus well below that of the initial weights', async () => {
    const { ids, vocab } = await corpus();
    const config = { vocabSize: vocab.size, ...sizes, layers: 1 };
    const initial = initParams(config, 1);
    const validation = ids.subarray(Math.floor(ids.length * 0.9));
    const before = evaluateModel(initial, validation, { batchSize: 16, seqLength: 16 }).loss;
    const events: TrainEvent[] = [];
    const result = await trainModel(initial, ids, { ...options, epochs: 3, onEvent: (e) => events.push(e) });
    expect(result.validation.loss).toBeLessThan(before - 1);
    expect(result.validation.perplexity).toBeCloseTo(Math.exp(result.validation.loss), 6);
    expect(result.history).toHaveLength(3);
    expect(result.stoppedBy).toBe('epochs');
    const batch = events.find((e) => e.type === 'batch');
    expect(batch).toMatchObject({ epoch: 1, epochs: 3, batches: expect.any(Number) });
    expect(events.filter((e) => e.type === 'validation')).toHaveLength(3);
    disposeParams(result.params);
  });

  it("returns the chosen weights' validation probabilities, and skips a periodic validation just before an epoch's own", async () => {
    const { ids, vocab } = await corpus();
    const config = { vocabSize: vocab.size, ...sizes, layers: 1 };
    const { splitAt, batches } = trainingSplit(ids);
    const events: TrainEvent[] = [];
    // A periodic validation falls after batch count - 1 of the epoch: one batch before the epoch's own.
    const validateEveryBatches = batches - 1;
    const result = await trainModel(initParams(config, 2), ids, {
      ...options,
      epochs: 1,
      validateEveryBatches,
      onEvent: (e) => events.push(e),
    });
    expect(validateEveryBatches).toBeGreaterThan(4);
    expect(events.filter((e) => e.type === 'validation')).toHaveLength(1);
    const { probabilities, positions } = result.validationTargets;
    expect(probabilities.length).toBe(result.validation.tokens);
    const validation = ids.subarray(splitAt);
    expect([...positions]).toEqual([...scoredPositions(validation, options.batchSize, options.seqLength)]);
    const loss = probabilities.reduce((sum, p) => sum - Math.log(p), 0) / probabilities.length;
    expect(loss).toBeCloseTo(result.validation.loss, 9);
    expect(loss).toBeCloseTo(evaluateModel(result.params, validation, options).loss, 5);
    disposeParams(result.params);
  });

  it('averages the weights from averageFrom on and keeps the mean when it validates better, as its validation says', async () => {
    const { ids, vocab } = await corpus();
    const config = { vocabSize: vocab.size, ...sizes, layers: 1 };
    const { splitAt, batches } = trainingSplit(ids);
    const events: TrainEvent[] = [];
    const initial = initParams(config, 6);
    zeroPeephole(sizes.hiddenSize); // the fused cell's zeros, kept for good once made
    const before = tf.memory().numTensors;
    // A high constant rate: the last weights jump about, their mean is steadier.
    const result = await trainModel(initial, ids, {
      ...options,
      learningRate: 0.05,
      finalLearningRateFactor: 1,
      epochs: 2,
      averageFrom: 0.5,
      onEvent: (e) => events.push(e),
    });
    const validations = events.filter((e) => e.type === 'validation');
    expect(validations).toHaveLength(2);
    // Epoch 1 ends as the averaging starts: a mean of one step is not measured.
    expect(validations[0]!.average).toBeUndefined();
    const average = validations[1]!.average!;
    expect(average.steps).toBe(batches);
    expect(average.meanKept).toBe(average.meanPerplexity < average.lastPerplexity);
    expect(validations[1]!.perplexity).toBe(Math.min(average.meanPerplexity, average.lastPerplexity));
    expect(average.meanKept).toBe(true);
    expect(result.averagedSteps).toBe(batches);
    const validation = ids.subarray(splitAt);
    expect(evaluateModel(result.params, validation, options).perplexity).toBeCloseTo(average.meanPerplexity, 3);
    expect(tf.memory().numTensors).toBe(before); // the initial weights out, the mean in
    disposeParams(result.params);
  });

  it('resumes a run from its checkpoint: the batches done are skipped and the time used is counted', async () => {
    const { ids, vocab } = await corpus();
    const config = { vocabSize: vocab.size, ...sizes, layers: 1 };
    const full = await trainModel(initParams(config, 4), ids, { ...options, epochs: 3 });
    const events: TrainEvent[] = [];
    const resumed = await trainModel(initParams(config, 4), ids, {
      ...options,
      epochs: 3,
      startAt: { epochs: 2, trainingMs: 60_000 },
      onEvent: (e) => events.push(e),
    });
    expect(resumed.tokensSeen).toBe(full.tokensSeen);
    expect(resumed.epochs).toBe(3);
    expect(resumed.trainingMs).toBeGreaterThan(60_000);
    expect(resumed.history.map((h) => h.epoch)).toEqual([3]);
    expect(events.filter((e) => e.type === 'batch').every((e) => e.epoch === 3)).toBe(true);

    // Nothing left to do: the checkpoint's weights come back, validated once.
    const done = await trainModel(initParams(config, 4), ids, {
      ...options,
      epochs: 3,
      startAt: { epochs: 3, trainingMs: 0 },
    });
    expect(done.history).toHaveLength(1);
    expect(done.tokensSeen).toBe(full.tokensSeen);
    for (const r of [full, resumed, done]) disposeParams(r.params);
  });

  it('counts the final validation against the time budget: past it, validation stops at the batch it reached', async () => {
    const { ids, vocab } = await corpus();
    const config = { vocabSize: vocab.size, ...sizes, layers: 1 };
    const batch = { batchSize: 4, seqLength: 4 };
    const held = ids.subarray(Math.floor(ids.length * 0.6));
    const initial = initParams(config, 5);
    const full = evaluateModel(initial, held, batch);
    expect(full.tokens).toBeGreaterThan(100 * 16);
    const partial = evaluateModel(initial, held, { ...batch, stopAt: 0 });
    expect(partial.tokens).toBe(16);
    disposeParams(initial);
    const progress: number[] = [];
    const result = await trainModel(initParams(config, 5), ids, {
      ...options,
      ...batch,
      epochs: 5,
      validationFraction: 0.4,
      timeBudgetMs: 1,
      onValidating: (done) => progress.push(done),
    });
    expect(result.stoppedBy).toBe('time-budget');
    expect(result.validation.tokens).toBe(16);
    expect(progress).toEqual([1]);
    expect(Number.isFinite(result.validation.loss)).toBe(true);
    disposeParams(result.params);
  });

  it('trains two stacked layers, with the state reset per batch', async () => {
    const { ids, vocab } = await corpus();
    const initial = initParams({ vocabSize: vocab.size, ...sizes, layers: 2 }, 2);
    const result = await trainModel(initial, ids, { ...options, epochs: 1, carryState: false });
    expect(result.params.layers).toHaveLength(2);
    expect(result.validation.loss).toBeLessThan(Math.log(vocab.size));
    disposeParams(result.params);
  });

  it('also learns on the composed-ops path used without native TensorFlow', async () => {
    const { ids, vocab } = await corpus();
    const initial = initParams({ vocabSize: vocab.size, ...sizes, layers: 1 }, 3);
    const before = tf.memory().numTensors;
    const result = await trainModel(initial, ids, { ...options, epochs: 1, composedGradients: true });
    expect(result.validation.loss).toBeLessThan(Math.log(vocab.size) - 0.5);
    expect(tf.memory().numTensors).toBe(before);
    disposeParams(result.params);
  });

  it.each([false, true])(
    'trains a tied model (composed gradients: %s): it learns, stays tied, nothing leaks',
    async (composedGradients) => {
      const { ids, vocab } = await corpus();
      const tensors = tf.memory().numTensors;
      const initial = initParams({ vocabSize: vocab.size, ...sizes, layers: 1, tiedEmbedding: true }, 4);
      const validation = ids.subarray(Math.floor(ids.length * 0.9));
      const before = evaluateModel(initial, validation, { batchSize: 16, seqLength: 16 }).loss;
      const result = await trainModel(initial, ids, { ...options, epochs: 2, composedGradients });
      expect(result.validation.loss).toBeLessThan(before - 1);
      expect(result.params.outputProjection).toBeDefined();
      expect(result.params.outputKernel).toBeUndefined();
      // The returned weights and nothing else.
      expect(tf.memory().numTensors).toBe(tensors + paramTensors(result.params).length);
      disposeParams(result.params);
      expect(tf.memory().numTensors).toBe(tensors);
    },
  );

  it('leaves no tensors behind but the returned weights', async () => {
    const { ids, vocab } = await corpus();
    const before = tf.memory().numTensors;
    const result = await trainModel(initParams({ vocabSize: vocab.size, ...sizes, layers: 1 }, 1), ids, {
      ...options,
      epochs: 1,
      validateEveryBatches: 5,
    });
    expect(tf.memory().numTensors).toBe(before + paramTensors(result.params).length);
    disposeParams(result.params);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('stops when its signal is aborted, with a coded error and no tensors left', async () => {
    const { ids, vocab } = await corpus();
    const before = tf.memory().numTensors;
    const controller = new AbortController();
    const run = trainModel(initParams({ vocabSize: vocab.size, ...sizes, layers: 1 }, 1), ids, {
      ...options,
      epochs: 50,
      signal: controller.signal,
      onEvent: () => controller.abort(),
    });
    await expect(run).rejects.toMatchObject({ code: 'TRAINING_ABORTED' });
    expect(tf.memory().numTensors).toBe(before);
  });

  it('trains with dropout, but validates without it: the reported loss is that of the returned weights', async () => {
    const { ids, vocab } = await corpus();
    const config = { vocabSize: vocab.size, ...sizes, layers: 1 };
    const result = await trainModel(initParams(config, 5), ids, {
      ...options,
      epochs: 2,
      dropout: { input: 0.3, output: 0.3 },
    });
    const validation = ids.subarray(Math.floor(ids.length * (1 - options.validationFraction)));
    const again = evaluateModel(result.params, validation, { batchSize: 16, seqLength: 16 });
    expect(again.loss).toBeCloseTo(result.validation.loss, 5);
    expect(evaluateModel(result.params, validation, { batchSize: 16, seqLength: 16 }).loss).toBe(again.loss);
    expect(result.validation.loss).toBeLessThan(Math.log(vocab.size) - 0.5);
    disposeParams(result.params);
  });

  it('ends within its time budget, the final validation and a slow checkpoint included', async () => {
    const { ids, vocab } = await corpus();
    const config = { vocabSize: vocab.size, ...sizes, layers: 1 };
    const budgetMs = 2_500;
    const started = performance.now();
    const result = await trainModel(initParams(config, 6), ids, {
      ...options,
      epochs: 10_000,
      validationFraction: 0.3,
      validateEveryBatches: 4,
      timeBudgetMs: budgetMs,
      // Every checkpoint takes 200 ms (a slow disk): the last one must fit in the budget too.
      onBest: () => new Promise((resolve) => setTimeout(resolve, 200)),
    });
    const tookMs = performance.now() - started;
    expect(result.stoppedBy).toBe('time-budget');
    expect(tookMs).toBeLessThanOrEqual(budgetMs);
    expect(result.trainingMs).toBeLessThanOrEqual(budgetMs);
    expect(result.tokensSeen).toBeGreaterThan(0);
    disposeParams(result.params);
  });

  it('rejects a stream too short to train on', async () => {
    const before = tf.memory().numTensors;
    const params = initParams({ vocabSize: 20, ...sizes, layers: 1 }, 1);
    await expect(trainModel(params, Int32Array.from([3, 4, 5]), options)).rejects.toMatchObject({
      code: 'CORPUS_TOO_SMALL',
      message: expect.stringContaining('too small'),
    });
    expect(tf.memory().numTensors).toBe(before);
  });
});
