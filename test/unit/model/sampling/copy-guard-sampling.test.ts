import { afterAll, describe, expect, it } from 'vitest';
import { randomLstmParams } from '../../../../src/bench/random-lstm-params.js';
import { CopyNgramSet } from '../../../../src/model/sampling/copy-ngram-set.js';
import { generateTokenIds } from '../../../../src/model/sampling/generate-token-ids.js';
import type { TokenGenerationSettings, TokenStreamRequest } from '../../../../src/model/sampling/generate-token-ids.js';
import { LstmBatchStepper } from '../../../../src/model/lstm/lstm-batch-stepper.js';
import { disposeParams } from '../../../../src/model/lstm/lstm-params.js';
import { resolveGenerationOptions } from '../../../../src/model/sampling/resolve-generation-options.js';
import type { GenerationOptions } from '../../../../src/model/sampling/text-generator.js';

const PAD = 0;
const UNK = 1;
const EOS = 2;
const config = { vocabSize: 40, embeddingSize: 8, hiddenSize: 16, layers: 1 };
// Large weights: peaked rows, so that unguarded streams of the same seeds repeat each other.
const params = randomLstmParams(config, 11, 2);
const stepper = new LstmBatchStepper(params, [PAD, UNK]);
const plain: TokenGenerationSettings = { eosId: EOS, noRepeatNgramSize: 0, maxTokensPerWord: 1 };

afterAll(() => {
  stepper.dispose();
  disposeParams(params);
});

const request = (promptIds: number[], options: Partial<GenerationOptions> = {}): TokenStreamRequest => ({
  promptIds,
  options: resolveGenerationOptions({ temperature: 0.8, maxWords: 30, minWords: 30, seed: 1, ...options }),
});

/** The n-grams of `ids` (prompt and reply) found in `set`. */
function copied(set: CopyNgramSet, ids: readonly number[]): number {
  let count = 0;
  for (let end = set.n; end <= ids.length; end++) if (set.has(ids, end)) count++;
  return count;
}

describe('the copy guard in generateTokenIds', () => {
  const prompt = [EOS, 5, 6, 7, 8, 9];

  it('never completes an n-gram of the guarded text, at batch 1 and 16, greedy and sampled', async () => {
    const requests = Array.from({ length: 16 }, (_, seed) =>
      request(prompt, { seed, temperature: seed === 0 ? 0 : 0.8 }),
    );
    // What the model writes unguarded becomes the channel's text: the same requests would copy all of it.
    const unguarded = await generateTokenIds(stepper, requests, plain);
    const text = unguarded.flatMap(({ ids }) => [...prompt.slice(1), ...ids, EOS]);
    const copyGuard = CopyNgramSet.fromIds(text, 6);
    expect(copyGuard.size).toBeGreaterThan(100);
    for (const { ids } of unguarded) expect(copied(copyGuard, [...prompt, ...ids])).toBeGreaterThan(20);

    const settings = { ...plain, copyGuard };
    const batched = await generateTokenIds(stepper, requests, settings);
    for (const { ids } of batched) {
      expect(ids.length).toBe(30);
      expect(copied(copyGuard, [...prompt, ...ids])).toBe(0);
    }
    const [alone] = await generateTokenIds(stepper, [requests[3]!], settings);
    expect(copied(copyGuard, [...prompt, ...alone!.ids])).toBe(0);
  });

  it('lifts the guard for a token when it refuses everything left to draw', async () => {
    // After 9, every word (3 .. 39) completes a stored bigram, and <eos> is banned before 30 words.
    const text = Array.from({ length: config.vocabSize - 3 }, (_, k) => [9, k + 3, EOS]).flat();
    const copyGuard = CopyNgramSet.fromIds(text, 2);
    expect(copyGuard.refused([9])).toHaveLength(config.vocabSize - 3);
    for (const temperature of [0, 0.8]) {
      const [result] = await generateTokenIds(stepper, [request(prompt, { temperature })], { ...plain, copyGuard });
      expect(result!.ids).toHaveLength(30);
      expect(result!.stoppedBy).toBe('word-limit');
    }
  });

  it('changes nothing when the guard refuses nothing', async () => {
    const copyGuard = CopyNgramSet.fromIds([30, 31, 32, 33, 34, 35, EOS], 6);
    const requests = Array.from({ length: 4 }, (_, seed) => request(prompt, { seed }));
    const without = await generateTokenIds(stepper, requests, plain);
    const texts = without.map(({ ids }) => [...prompt, ...ids]);
    expect(texts.every((ids) => copied(copyGuard, ids) === 0)).toBe(true);
    expect(await generateTokenIds(stepper, requests, { ...plain, copyGuard })).toEqual(without);
  });
});
