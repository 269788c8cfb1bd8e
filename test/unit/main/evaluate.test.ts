import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Tensor1D } from '@tensorflow/tfjs';
import { afterAll, describe, expect, it } from 'vitest';
import { formatEvaluation, runEvaluate } from '../../../src/main/evaluate.js';
import { encodeCorpus } from '../../../src/model/corpus/encode-corpus.js';
import { KneserNey } from '../../../src/model/evaluation/kneser-ney.js';
import { encodeNgramCounts, NGRAM_FILE } from '../../../src/model/store/ngram-file.js';
import { growVocabulary } from '../../../src/model/training/grow-vocabulary.js';
import { loadModel } from '../../../src/model/store/load-model.js';
import { disposeParams } from '../../../src/model/lstm/lstm-params.js';
import { saveModel } from '../../../src/model/store/save-model.js';
import { UNK_ID } from '../../../src/model/text/special-tokens.js';
import { tf } from '../../../src/model/lstm/tf.js';

const TINY = new URL('../../fixtures/models/tiny', import.meta.url).pathname;
const root = await mkdtemp(join(tmpdir(), 'lstm-bot-eval-'));
afterAll(() => rm(root, { recursive: true, force: true }));

const corpus = join(root, 'channel.txt');
await writeFile(
  corpus,
  Array.from(
    { length: 60 },
    (_, k) => ['did you see the npm install', 'my cat ran sudo', 'the band played well'][k % 3],
  ).join('\n'),
);

describe('lstm-bot eval --against', () => {
  it('scores a channel model and its base on the same tokens and the channel words, the base sharing <unk>', async () => {
    // A "channel model": the tiny base with npm, install and sudo added, each (and <unk>) given the base's
    // <unk> probability divided by 4. It is the base's shared distribution written out, so both must score the same.
    const base = await loadModel(TINY);
    const grown = growVocabulary(base.params, 3);
    const lower = tf.tensor1d(
      Array.from({ length: grown.config.vocabSize }, (_, id) => (id === UNK_ID ? Math.log(4) : 0)),
    );
    const params = { ...grown, outputBias: tf.sub(grown.outputBias, lower) as Tensor1D };
    const channelDir = join(root, 'channel');
    await saveModel(channelDir, {
      params,
      vocab: base.vocab.withAddedTokens(['npm', 'install', 'sudo']),
      card: { ...base.card, id: 'channel-model', config: params.config },
    });
    for (const t of [lower, grown.outputBias]) t.dispose();
    disposeParams(params);
    disposeParams(base.params);

    const result = await runEvaluate({ model: channelDir, corpus, against: TINY });
    expect(result.vocabularySize).toBe(base.vocab.size + 3);
    expect(result.unknownRate).toBe(0);
    expect(result.modelUnknownRate).toBe(0);
    expect(result.against?.modelUnknownRate).toBeGreaterThan(0.1);
    expect(result.against?.perplexity).toBeCloseTo(result.perplexity, 2);

    // Alone, the base is scored on its own vocabulary: the channel words are plain <unk>, much cheaper.
    const alone = await runEvaluate({ model: TINY, corpus });
    expect(alone.unknownRate).toBeGreaterThan(0.1);
    expect(alone.perplexity).toBeLessThan(result.against!.perplexity);
  });
});

describe('lstm-bot eval of a channel model with its n-gram and cache', () => {
  it('reports the mixture as the model samples it: with its cache, which helps on a repetitive channel', async () => {
    const base = await loadModel(TINY);
    // A trigram of one of the three lines: the cache of the lines before knows the other two.
    const stream = await encodeCorpus(['my cat ran sudo'], base.vocab);
    const kneserNey = new KneserNey(stream, base.vocab.size, 3);
    const save = async (
      name: string,
      cache?: { window: number; theta?: number; weights: [number, number, number] },
    ) => {
      const dir = join(root, name);
      const perplexities = { validationPerplexity: 5, heldOutPerplexity: 6 };
      const mixture = { file: NGRAM_FILE, order: 3 as const, trigrams: kneserNey.topCounts.size, lstmWeight: 0.5 };
      await saveModel(dir, {
        params: base.params,
        vocab: base.vocab,
        card: {
          ...base.card,
          mixture: { ...mixture, ...perplexities, ...(cache && { cache: { ...cache, ...perplexities } }) },
        },
        files: { [NGRAM_FILE]: encodeNgramCounts(kneserNey) },
      });
      return dir;
    };
    const withCache = await save('cached', { window: 50, weights: [0.4, 0.4, 0.2] });
    const without = await save('uncached');
    const continuous = await save('continuous', { window: 50, theta: 1.5, weights: [0.4, 0.4, 0.2] });
    disposeParams(base.params);

    // A continuous cache is scored with the LSTM's states on the corpus, and says so.
    const weighed = await runEvaluate({ model: continuous, corpus });
    expect(weighed.mixture?.cache).toEqual({ window: 50, theta: 1.5, weights: [0.4, 0.4, 0.2] });
    expect(weighed.mixture!.perplexity).toBeGreaterThan(1);
    expect(formatEvaluation(weighed)).toMatch(/a continuous cache \(θ 1\.5\) of the last 50 tokens/);

    const cached = await runEvaluate({ model: withCache, corpus });
    const plain = await runEvaluate({ model: without, corpus });
    expect(cached.mixture?.cache).toEqual({ window: 50, weights: [0.4, 0.4, 0.2] });
    expect(plain.mixture?.cache).toBeUndefined();
    expect(cached.perplexity).toBe(plain.perplexity);
    expect(cached.mixture!.perplexity).toBeLessThan(plain.mixture!.perplexity);
    expect(formatEvaluation(cached)).toMatch(
      /weights 0\.40 \/ 0\.40 \/ 0\.20 on the LSTM, the n-gram and a cache of the last 50 tokens/,
    );
  });
});
