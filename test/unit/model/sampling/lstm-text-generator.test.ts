import { afterAll, describe, expect, it } from 'vitest';
import { randomLstmParams } from '../../../../src/bench/random-lstm-params.js';
import { isCodedError } from '../../../../src/errors/coded-error.js';
import { LstmTextGenerator } from '../../../../src/model/sampling/lstm-text-generator.js';
import type { GenerationRequest } from '../../../../src/model/sampling/text-generator.js';
import { tf } from '../../../../src/model/lstm/tf.js';
import { Vocabulary } from '../../../../src/model/text/vocabulary.js';

const words =
  'the a i you it is was did see game that what no yes so and but to of in on at my your we they he she this'.split(
    ' ',
  );
const punctuation = ['.', ',', '!', '?', "n't", "'s"];
const vocab = Vocabulary.build(new Map([...words, ...punctuation].map((token, i) => [token, 1000 - i])), {
  maxSize: 100,
});

function makeGenerator(options = {}): LstmTextGenerator {
  const params = randomLstmParams({ vocabSize: vocab.size, embeddingSize: 8, hiddenSize: 16, layers: 1 }, 3, 6);
  return new LstmTextGenerator({ params, vocab, card: { id: 'test-model-1' } }, options);
}

const generator = makeGenerator();
afterAll(() => generator.dispose());

const ask = (prompt: string, over: Partial<GenerationRequest> = {}): GenerationRequest => ({
  prompt,
  temperature: 0.9,
  maxWords: 12,
  seed: 7,
  ...over,
});

async function codeOf(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
  } catch (error) {
    if (isCodedError(error)) return error.code;
    throw error;
  }
  return undefined;
}

describe('LstmTextGenerator', () => {
  it('continues a prompt with natural text and reports how it stopped', async () => {
    const [result] = await generator.generate([ask('did you see the game', { maxWords: 8 })]);
    expect(generator.modelId).toBe('test-model-1');
    expect(result!.prompt).toBe('did you see the game');
    expect(result!.tokens).toBeGreaterThan(0);
    expect(result!.continuation.length).toBeGreaterThan(0);
    expect(result!.continuation).not.toMatch(/<(pad|unk|eos)>| ,| \./);
    expect(['end-of-message', 'word-limit']).toContain(result!.stoppedBy);
    const wordCount = result!.continuation.split(/\s+/).filter((w) => /[\p{L}\p{N}]/u.test(w)).length;
    expect(wordCount).toBeLessThanOrEqual(8);
  });

  it('the same seed gives the same text, different seeds differ', async () => {
    const texts = async (seed: number) =>
      (await generator.generate([ask('what is that', { seed, maxWords: 20 })]))[0]!.continuation;
    expect(await texts(5)).toBe(await texts(5));
    const others = new Set(await Promise.all([1, 2, 3, 4].map((seed) => texts(seed))));
    expect(others.size).toBeGreaterThan(1);
  });

  it('a batch of 16 gives each request the text it gets alone, also across chunks', async () => {
    const requests = Array.from({ length: 16 }, (_, i) =>
      ask(['', 'i', 'did you see', 'the game was so'][i % 4]!, {
        seed: 50 + i,
        temperature: (i % 5) * 0.4,
        maxWords: 3 + i,
      }),
    );
    const together = await generator.generate(requests);
    const chunked = makeGenerator({ maxBatchSize: 5 });
    expect(await chunked.generate(requests)).toEqual(together);
    chunked.dispose();
    for (const [i, request] of requests.entries()) expect(await generator.generate([request])).toEqual([together[i]]);
  });

  it('accepts an empty prompt, an emoji-only prompt and a 10,000-character prompt', async () => {
    const long = 'did you see the game '.repeat(500).slice(0, 10_000);
    const results = await generator.generate([ask(''), ask('🎉🔥😂'), ask(long)]);
    for (const result of results) expect(result.tokens).toBeGreaterThan(0);
    expect(results[0]!.prompt).toBe('');
    expect(results[1]!.prompt).toBe('🎉🔥😂');
    expect(results[2]!.prompt).toBe(long.trim());
  });

  it("names the prompt's words it does not know, and their share of its words", async () => {
    const [known, mixed, unknown, emoji] = await generator.generate([
      ask('did you see the game'),
      ask('did you see the Zorblax game, Zorblax?'),
      ask('zorblax quuxly'),
      ask('🎉🔥😂'),
    ]);
    expect(known).toMatchObject({ unknownWords: [], unknownShare: 0 });
    expect(mixed).toMatchObject({ unknownWords: ['zorblax'], unknownShare: 2 / 7 });
    expect(unknown).toMatchObject({ unknownWords: ['zorblax', 'quuxly'], unknownShare: 1 });
    expect(emoji).toMatchObject({ unknownWords: [], unknownShare: 0 });
    expect(unknown!.continuation.length).toBeGreaterThan(0);
  });

  it.each([
    [{ temperature: -1 }, 'INVALID_TEMPERATURE'],
    [{ temperature: Number.NaN }, 'INVALID_TEMPERATURE'],
    [{ temperature: 3 }, 'INVALID_TEMPERATURE'],
    [{ maxWords: 0 }, 'INVALID_MAX_WORDS'],
    [{ topP: 0 }, 'INVALID_TOP_P'],
    [{ prompt: 42 as unknown as string }, 'INVALID_PROMPT'],
  ])('refuses %o with %s before generating anything', async (over, code) => {
    const before = tf.memory().numTensors;
    expect(await codeOf(generator.generate([ask('hello'), ask('hello', over)]))).toBe(code);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('leaks no tensors while generating, and dispose frees the model', async () => {
    const local = makeGenerator();
    await local.generate([ask('warm up')]);
    const before = tf.memory().numTensors;
    await local.generate(Array.from({ length: 20 }, (_, i) => ask('you and i', { seed: i, maxWords: 5 + i })));
    expect(tf.memory().numTensors).toBe(before);
    local.dispose();
    expect(tf.memory().numTensors).toBe(before - 6); // 5 parameter tensors + the stepper's output kernel
  });
});
