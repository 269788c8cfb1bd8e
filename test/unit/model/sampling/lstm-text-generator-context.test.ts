import { afterAll, describe, expect, it } from 'vitest';
import { randomLstmParams } from '../../../../src/bench/random-lstm-params.js';
import { LstmTextGenerator } from '../../../../src/model/sampling/lstm-text-generator.js';
import type { GenerationRequest } from '../../../../src/model/sampling/text-generator.js';
import { Vocabulary } from '../../../../src/model/text/vocabulary.js';

const words = 'the a i you it is was did see game that what no yes so and but to of in on at my your we they'.split(
  ' ',
);
const vocab = Vocabulary.build(new Map(words.map((token, i) => [token, 1000 - i])), { maxSize: 60 });

function makeGenerator(options = {}): LstmTextGenerator {
  const params = randomLstmParams({ vocabSize: vocab.size, embeddingSize: 8, hiddenSize: 16, layers: 1 }, 5, 6);
  return new LstmTextGenerator({ params, vocab, card: { id: 'context-model' } }, options);
}

const ask = (prompt: string, context?: string[], seed = 7): GenerationRequest => ({
  prompt,
  temperature: 0.9,
  maxWords: 20,
  seed,
  ...(context && { context }),
});

const conversation = ['did you see the game', 'yes it was so what', 'no i was at my game'];

describe('LstmTextGenerator with a context', () => {
  const generator = makeGenerator();
  afterAll(() => generator.dispose());

  it('reads the context before the prompt: the same seeds write other continuations', async () => {
    const seeds = [0, 1, 2, 3];
    const bare = await generator.generate(seeds.map((seed) => ask('so', undefined, seed)));
    const primed = await generator.generate(seeds.map((seed) => ask('so', conversation, seed)));
    const empty = await generator.generate(seeds.map((seed) => ask('so', [], seed)));
    expect(primed.map((r) => r.prompt)).toEqual(seeds.map(() => 'so'));
    const changed = seeds.filter((i) => primed[i]!.continuation !== bare[i]!.continuation);
    expect(changed.length).toBeGreaterThanOrEqual(3);
    expect(empty.map((r) => r.continuation)).toEqual(bare.map((r) => r.continuation));
  });

  it('gives each row of a batch its own context: each text is the one it gets alone', async () => {
    const requests = [ask('the', conversation, 1), ask('the', undefined, 2), ask('the', conversation.slice(1), 3)];
    const batched = await generator.generate(requests);
    for (const [i, request] of requests.entries()) {
      const [alone] = await generator.generate([request]);
      expect(batched[i]!.continuation).toBe(alone!.continuation);
    }
  });

  it('reads only the last maxContextTokens tokens of the context', async () => {
    const capped = makeGenerator({ maxContextTokens: 3 });
    try {
      // Either context ends "<eos> you it is": the capped generator reads the same three tokens.
      const [long, short] = await capped.generate([
        ask('so', ['we they at my', 'your you it is']),
        ask('so', ['you it is']),
      ]);
      expect(long!.continuation).toBe(short!.continuation);
    } finally {
      capped.dispose();
    }
  });
});
