import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { KneserNey } from '../../../../src/model/evaluation/kneser-ney.js';
import { loadModel } from '../../../../src/model/store/load-model.js';
import { disposeParams } from '../../../../src/model/lstm/lstm-params.js';
import { LstmTextGenerator } from '../../../../src/model/sampling/lstm-text-generator.js';
import {
  generateTokenIds,
  MIN_CONTINUOUS_CACHE_IDS,
  type TokenGenerationSettings,
} from '../../../../src/model/sampling/generate-token-ids.js';
import { LstmBatchStepper } from '../../../../src/model/lstm/lstm-batch-stepper.js';
import { resolveGenerationOptions } from '../../../../src/model/sampling/resolve-generation-options.js';
import { tf } from '../../../../src/model/lstm/tf.js';
import { decodeNgramCounts, encodeNgramCounts, NGRAM_FILE } from '../../../../src/model/store/ngram-file.js';
import { mulberry32 } from '../../../../src/model/lstm/mulberry32.js';
import { CacheWindow } from '../../../../src/model/sampling/cache-window.js';
import { NgramMixer } from '../../../../src/model/sampling/ngram-mixer.js';
import { sampleFromMixture } from '../../../../src/model/sampling/sample-from-mixture.js';
import { createSamplingScratch } from '../../../../src/model/sampling/sample-next-token.js';
import { cloneParams } from '../../../../src/model/lstm/clone-params.js';
import { saveModel } from '../../../../src/model/store/save-model.js';
import type { GenerationRequest } from '../../../../src/model/sampling/text-generator.js';
import { EOS_ID, PAD_ID, UNK_ID } from '../../../../src/model/text/special-tokens.js';

const root = await mkdtemp(join(tmpdir(), 'lstm-bot-ngram-'));
afterAll(() => rm(root, { recursive: true, force: true }));

// The tiny fixture model and a channel stream in its vocabulary.
const fixture = fileURLToPath(new URL('../../../fixtures/models/tiny', import.meta.url));
const { vocab, card } = await loadModel(fixture).then((model) => {
  disposeParams(model.params);
  return model;
});
const V = vocab.size;
const ids = (text: string) => text.split(' ').map((w) => vocab.idOf(w));
const stream = Int32Array.from(
  ['did you see the game', 'the game was fun', 'my dog ran fast', 'did you see my cat', 'the team played well']
    .flatMap((text) => [...ids(text), EOS_ID])
    .concat(UNK_ID, EOS_ID),
);
const kn = new KneserNey(stream, V, 3);

describe('the channel n-gram stored with a model', () => {
  it('reads back from its file as the same trigram', () => {
    const back = decodeNgramCounts(encodeNgramCounts(kn), V);
    for (let context = 0; context < V * V; context += 7) {
      for (let w = 1; w < V; w++) expect(back.probability(context, w)).toBe(kn.probability(context, w));
    }
  });

  it("keeps only flat follower tables that give the trigram's probabilities back", () => {
    const mixer = new NgramMixer(kn, 0.7);
    for (let u = 0; u < V; u += 3) {
      for (let v = 1; v < V; v += 2) {
        for (let w = 0; w < V; w++) expect(mixer.probability([u, v], w)).toBeCloseTo(kn.probability(u * V + v, w), 7);
      }
    }
    expect(mixer.contextOf([7, 8, 9])).toEqual([8, 9]);
    expect(mixer.contextOf([9])).toEqual([EOS_ID, 9]);
  });

  it('mixes a row into λ P_lstm + (1 - λ) P_kn without <pad> and <unk>, summing to 1', () => {
    const mixer = new NgramMixer(kn, 0.3);
    const lstm = new Float32Array(V).map((_, w) => (w === PAD_ID || w === UNK_ID ? 0 : 1 / (V - 2)));
    for (const text of ['did you', 'the game', 'fun fun', '']) {
      const context = mixer.contextOf(ids(text).filter((id) => id !== UNK_ID));
      const row = Float32Array.from(lstm);
      mixer.mixInto(row, 0, context);
      const key = context[0]! * V + context[1]!;
      const kept = 1 - kn.probability(key, UNK_ID);
      for (let w = 0; w < V; w++) {
        const expected =
          w === PAD_ID || w === UNK_ID ? 0 : (0.3 * lstm[w]! + 0.7 * kn.probability(key, w)) / (0.3 + 0.7 * kept);
        expect(row[w]).toBeCloseTo(expected, 6);
      }
      expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    }
  });
});

/**
 * 40,000 plain draws from the parts (`sampleFromMixture`) land as often as the distribution `mixInto`
 * writes out over the row, banned ids taken out, within 0.01; never on a banned id, `<pad>` or `<unk>`.
 */
function expectDrawsAsWritten(
  mixer: NgramMixer,
  lstm: Float32Array,
  draw: {
    context: number[];
    banned: readonly number[];
    random: () => number;
    cache?: CacheWindow;
    temperature?: number;
  },
): void {
  const { context, banned, random, cache } = draw;
  const temperature = draw.temperature ?? 1;
  const sampling = { greedy: false, topK: 0, topP: 1 };
  const expected = Float32Array.from(lstm);
  mixer.mixInto(expected, 0, context, cache);
  expected.forEach((p, w) => (expected[w] = p ** (1 / temperature)));
  for (const token of banned) expected[token] = 0;
  const total = expected.reduce((a, b) => a + b, 0);
  const counts = new Float64Array(V);
  const draws = 40_000;
  const scratch = createSamplingScratch(V);
  for (let k = 0; k < draws; k++) {
    const row = Float32Array.from(lstm);
    counts[sampleFromMixture(mixer, row, 0, context, { sampling, temperature, banned, random, scratch, cache })]! += 1;
  }
  for (let w = 0; w < V; w++) expect(Math.abs(counts[w]! / draws - expected[w]! / total)).toBeLessThan(0.01);
  for (const token of [...banned, PAD_ID, UNK_ID]) expect(counts[token]).toBe(0);
}

describe('sampleFromMixture', () => {
  const lstmRow = () => {
    const lstm = new Float32Array(V).map((_, w) => (w === PAD_ID || w === UNK_ID ? 0 : (w % 5) + 1));
    const lstmTotal = lstm.reduce((a, b) => a + b, 0);
    return lstm.map((p) => p / lstmTotal);
  };
  const cases = [
    ['did you', [ids('see')[0]!]],
    ['fun fun', [EOS_ID]],
    ['my dog', []],
  ] as const;

  /** Draws `draws` tokens and checks their shares against the mixture written out, raised to 1 / temperature. */
  function expectTempered(
    draw: { temperature: number; topP?: number },
    draws = 40_000,
    lstm = lstmRow(),
    drawCases: readonly (readonly [string, readonly number[]])[] = cases,
  ): void {
    const mixer = new NgramMixer(kn, 0.4);
    const random = mulberry32(11);
    const sampling = { greedy: false, topK: 0, topP: draw.topP ?? 1 };
    for (const [text, banned] of drawCases) {
      const context = mixer.contextOf(ids(text));
      const expected = Float64Array.from(lstm);
      const mixed = Float32Array.from(lstm);
      mixer.mixInto(mixed, 0, context);
      mixed.forEach((p, w) => (expected[w] = p ** (1 / draw.temperature)));
      for (const token of banned) expected[token] = 0;
      const total = expected.reduce((a, b) => a + b, 0);
      const counts = new Float64Array(V);
      const scratch = createSamplingScratch(V);
      for (let k = 0; k < draws; k++) {
        const row = Float32Array.from(lstm);
        const temperature = draw.temperature;
        counts[sampleFromMixture(mixer, row, 0, context, { sampling, temperature, banned, random, scratch })]! += 1;
      }
      for (let w = 0; w < V; w++) expect(Math.abs(counts[w]! / draws - expected[w]! / total)).toBeLessThan(0.01);
      for (const token of [...banned, PAD_ID, UNK_ID]) expect(counts[token]).toBe(0);
    }
  }

  it('draws from the distribution mixInto writes out, banned tokens and <unk> excluded', () => {
    expectTempered({ temperature: 1 });
  });

  it('applies a temperature below 1 to the whole mixture (by rejection), not to the LSTM alone', () => {
    expectTempered({ temperature: 0.8 });
    expectTempered({ temperature: 0.3 });
  });

  it("keeps to the tempered mixture when a banned token held most of the LSTM's row (a draw of several attempts)", () => {
    // <eos> banned before a reply's first words, where the LSTM would end it: each rejected attempt draws
    // from the LSTM's row again, which must still count the banned mass as gone.
    const row = lstmRow();
    const endsHere = row.map((p, w) => (w === EOS_ID ? 0.8 : (p * 0.2) / (1 - row[EOS_ID]!)));
    for (const temperature of [0.8, 0.3]) expectTempered({ temperature }, 40_000, endsHere, [['fun fun', [EOS_ID]]]);
  });

  it('applies a temperature above 1 to the whole mixture too', () => {
    expectTempered({ temperature: 1.5 });
  });

  it('draws top-p from the tempered mixture', () => {
    const mixer = new NgramMixer(kn, 0.4);
    const context = mixer.contextOf(ids('did you'));
    const mixed = Float32Array.from(lstmRow());
    mixer.mixInto(mixed, 0, context);
    const tempered = Array.from(mixed, (p) => p ** 2);
    const best = tempered.indexOf(Math.max(...tempered));
    const share = tempered[best]! / tempered.reduce((a, b) => a + b, 0);
    const draw = { temperature: 0.5, banned: [], random: mulberry32(3), scratch: createSamplingScratch(V) };
    const sampling = { greedy: false, topK: 0, topP: share * 0.99 };
    for (let k = 0; k < 50; k++)
      expect(sampleFromMixture(mixer, lstmRow(), 0, context, { ...draw, sampling })).toBe(best);
  });
});

describe('the mixture with a unigram cache', () => {
  const cacheMixture = { window: 6, weights: [0.3, 0.5, 0.2] as [number, number, number] };
  const lstm = new Float32Array(V).map((_, w) => (w === PAD_ID || w === UNK_ID ? 0 : (w % 7) + 1));
  const lstmTotal = lstm.reduce((a, b) => a + b, 0);
  lstm.forEach((p, w) => (lstm[w] = p / lstmTotal));

  it('writes w1 P_lstm + w2 P_kn + w3 P_cache over the row, the cache the last window ids, <unk> taken out', () => {
    const mixer = new NgramMixer(kn, 0.6, { cache: cacheMixture });
    expect(mixer.weights).toEqual([0.3, 0.5, 0.2]);
    // The window keeps the last 6 of these ids: see, my, <unk>, the, game, the.
    const read = [...ids('did you'), ...ids('see my'), UNK_ID, ...ids('the game the')];
    const cache = new CacheWindow(6, read);
    const context = mixer.contextOf(read);
    const row = Float32Array.from(lstm);
    mixer.mixInto(row, 0, context, cache);
    const key = context[0]! * V + context[1]!;
    const share = (w: number) => read.slice(-6).filter((id) => id === w).length / 6;
    const kept = 0.3 + 0.5 * (1 - kn.probability(key, UNK_ID)) + 0.2 * (1 - share(UNK_ID));
    for (let w = 0; w < V; w++) {
      const mixed = 0.3 * lstm[w]! + 0.5 * kn.probability(key, w) + 0.2 * share(w);
      expect(row[w]).toBeCloseTo(w === PAD_ID || w === UNK_ID ? 0 : mixed / kept, 6);
    }
    expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
  });

  it('draws from the parts exactly the distribution mixInto writes out, banned ids and <unk> excluded', () => {
    const mixer = new NgramMixer(kn, 0.6, { cache: cacheMixture });
    const random = mulberry32(5);
    for (const [read, banned] of [
      [
        [...ids('did you see the game'), EOS_ID, ...ids('the game')],
        [EOS_ID, ids('game')[0]!],
      ],
      [[EOS_ID, ...ids('my'), UNK_ID, UNK_ID], []],
      [ids('fun fun fun fun fun fun fun'), [ids('fun')[0]!]],
    ] as const) {
      const cache = new CacheWindow(cacheMixture.window, read);
      expectDrawsAsWritten(mixer, lstm, { context: mixer.contextOf(read), banned, random, cache });
      // The temperature applies to the cache's share as to the rest (by rejection below 1, on the row above).
      for (const temperature of [0.7, 1.4])
        expectDrawsAsWritten(mixer, lstm, { context: mixer.contextOf(read), banned, random, cache, temperature });
    }
  });

  it('is no cache at all when its weight is 0, and needs a window to sample when it has one', () => {
    const none = new NgramMixer(kn, 0.6, { cache: { window: 50, weights: [0.6, 0.4, 0] } });
    expect(none.cache).toBeUndefined();
    expect(none.weights).toEqual([0.6, 0.4, 0]);
    const plain = new NgramMixer(kn, 0.6);
    const context = plain.contextOf(ids('did you'));
    const [a, b] = [Float32Array.from(lstm), Float32Array.from(lstm)];
    none.mixInto(a, 0, context);
    plain.mixInto(b, 0, context);
    expect(a).toEqual(b);
    const cached = new NgramMixer(kn, 0.6, { cache: cacheMixture });
    expect(() => cached.mixInto(Float32Array.from(lstm), 0, context)).toThrow(/cache/);
    expect(() => new NgramMixer(kn, 0.6, { cache: { window: 5, weights: [0.5, 0.4, 0.2] } })).toThrow(RangeError);
  });
});

describe('the mixture with a continuous cache', () => {
  const cacheMixture = { window: 5, theta: 2, weights: [0.3, 0.5, 0.2] as [number, number, number] };
  const lstm = new Float32Array(V).map((_, w) => (w === PAD_ID || w === UNK_ID ? 0 : (w % 5) + 1));
  const lstmTotal = lstm.reduce((a, b) => a + b, 0);
  lstm.forEach((p, w) => (lstm[w] = p / lstmTotal));
  // Ids read, each with the (2-value) state that predicted it, and the state that predicts the next id.
  const read = [...ids('did you see my'), UNK_ID, ...ids('the game the')];
  const keys = read.map((_, i) => Float32Array.from([Math.cos(i), Math.sin(i)]));
  const query = Float32Array.from([1, 0.5]);
  const weighed = () => {
    const cache = new CacheWindow(cacheMixture.window, [], 2);
    read.forEach((id, i) => cache.push(id, keys[i]));
    cache.weigh(query, cacheMixture.theta);
    return cache;
  };

  it('writes w1 P_lstm + w2 P_kn + w3 P_cache with the ids weighed by exp(θ q · k), <unk> taken out', () => {
    const mixer = new NgramMixer(kn, 0.6, { cache: cacheMixture });
    expect(mixer.cache?.theta).toBe(2);
    const context = mixer.contextOf(read);
    const row = Float32Array.from(lstm);
    mixer.mixInto(row, 0, context, weighed());
    const key = context[0]! * V + context[1]!;
    const weights = keys.slice(-5).map((k) => Math.exp(2 * (query[0]! * k[0]! + query[1]! * k[1]!)));
    const total = weights.reduce((a, b) => a + b, 0);
    const share = (w: number) => read.slice(-5).reduce((sum, id, i) => sum + (id === w ? weights[i]! : 0), 0) / total;
    const kept = 0.3 + 0.5 * (1 - kn.probability(key, UNK_ID)) + 0.2 * (1 - share(UNK_ID));
    for (let w = 0; w < V; w++) {
      const mixed = 0.3 * lstm[w]! + 0.5 * kn.probability(key, w) + 0.2 * share(w);
      expect(row[w]).toBeCloseTo(w === PAD_ID || w === UNK_ID ? 0 : mixed / kept, 6);
    }
  });

  it('draws from the parts exactly the distribution mixInto writes out', () => {
    const mixer = new NgramMixer(kn, 0.6, { cache: cacheMixture });
    const random = mulberry32(8);
    const context = mixer.contextOf(read);
    expectDrawsAsWritten(mixer, lstm, { context, banned: [EOS_ID], random, cache: weighed() });
    expectDrawsAsWritten(mixer, lstm, { context, banned: [], random, cache: weighed(), temperature: 0.7 });
  });

  it('refuses a θ that is negative or not a number', () => {
    for (const theta of [-1, Number.NaN, 1000])
      expect(() => new NgramMixer(kn, 0.6, { cache: { ...cacheMixture, theta } })).toThrow(RangeError);
  });
});

describe('a model folder with and without the n-gram', () => {
  const request = { prompt: 'did you', temperature: 0, maxWords: 12, minWords: 3, topK: 0, topP: 1, seed: 4 };

  it('samples from the mixture when the folder has the n-gram, the LSTM alone otherwise', async () => {
    const withNgram = join(root, 'channel');
    const mixture = { file: NGRAM_FILE, order: 3 as const, trigrams: kn.topCounts.size, lstmWeight: 0.01 };
    await saveModel(withNgram, {
      params: (await loadModel(fixture)).params,
      vocab,
      card: { ...card, mixture: { ...mixture, validationPerplexity: 5, heldOutPerplexity: 6 } },
      files: { [NGRAM_FILE]: encodeNgramCounts(kn) },
    });
    const mixed = await loadModel(withNgram);
    const alone = await loadModel(fixture);
    expect(mixed.mixer?.lstmWeight).toBe(0.01);
    expect(alone.mixer).toBeUndefined();
    expect(Object.keys(alone)).toEqual(['params', 'vocab', 'card']);
    const replies = await Promise.all(
      [mixed, alone].map(async (model) => {
        const generator = new LstmTextGenerator(model);
        const [reply] = await generator.generate([request]);
        generator.dispose();
        return reply!;
      }),
    );
    // Greedy and nearly all the n-gram: the stream's most likely continuation of 'did you'.
    expect(replies[0]!.continuation).toMatch(/^see (the game|my cat)/);
    expect(replies[1]!.tokens).toBeGreaterThan(0);
  });
});

describe('a model folder whose card has the cache', () => {
  const mixture = { file: NGRAM_FILE, order: 3 as const, trigrams: kn.topCounts.size, lstmWeight: 0.5 };
  const perplexities = { validationPerplexity: 5, heldOutPerplexity: 6 };
  const save = async (name: string, cache?: { window: number; theta?: number; weights: [number, number, number] }) => {
    const dir = join(root, name);
    await saveModel(dir, {
      params: (await loadModel(fixture)).params,
      vocab,
      card: {
        ...card,
        mixture: { ...mixture, ...perplexities, ...(cache && { cache: { ...cache, ...perplexities } }) },
      },
      files: { [NGRAM_FILE]: encodeNgramCounts(kn) },
    });
    return loadModel(dir);
  };
  const replies = async (
    model: Awaited<ReturnType<typeof loadModel>>,
    requests: GenerationRequest[],
    options: { cacheReplyTokens?: boolean } = {},
  ) => {
    // The generator frees the weights it is given: each gets its own copy.
    const generator = new LstmTextGenerator({ ...model, params: cloneParams(model.params) }, options);
    try {
      return await generator.generate(requests);
    } finally {
      generator.dispose();
    }
  };
  const requests = [0, 1, 2, 3, 4, 5].map((seed) => ({
    prompt: 'did you',
    context: ['my cat ran fast', 'the team played well'],
    temperature: 0.8,
    maxWords: 10,
    minWords: 3,
    seed,
  }));

  it('samples as before without the cache fields or with a cache weight of 0', async () => {
    const old = await save('old');
    const zero = await save('zero', { window: 50, weights: [0.5, 0.5, 0] });
    expect(old.mixer?.cache).toBeUndefined();
    expect(zero.mixer?.cache).toBeUndefined();
    expect(old.mixer?.weights).toEqual([0.5, 0.5, 0]);
    const before = await replies(old, requests);
    expect(await replies(zero, requests)).toEqual(before);
    expect(before.every((reply) => reply.tokens > 0)).toBe(true);
  });

  it("draws from the context's, the prompt's and the reply's ids when the cache holds nearly all the weight", async () => {
    const model = await save('cached', { window: 50, weights: [0.01, 0.01, 0.98] });
    expect(model.mixer?.cache).toEqual({ window: 50, weights: [0.01, 0.01, 0.98] });
    const read = new Set(['my', 'cat', 'ran', 'fast', 'the', 'team', 'played', 'well', 'did', 'you']);
    const greedy = await replies(
      model,
      requests.map((request) => ({ ...request, temperature: 0 })),
    );
    for (const reply of greedy) {
      expect(reply.tokens).toBeGreaterThanOrEqual(3);
      for (const word of reply.continuation.split(' ')) expect(read).toContain(word);
    }
    const sampled = await replies(model, requests);
    const words = sampled.flatMap((reply) => reply.continuation.split(' '));
    expect(words.filter((word) => read.has(word)).length).toBeGreaterThan(0.9 * words.length);
  });

  it('samples with a continuous cache: other replies than the unigram cache, each the one it gets alone in a batch', async () => {
    const unigram = await save('unigram-cache', { window: 20, weights: [0.2, 0.2, 0.6] });
    const continuous = await save('continuous-cache', { window: 20, theta: 5, weights: [0.2, 0.2, 0.6] });
    expect(continuous.mixer?.cache).toEqual({ window: 20, theta: 5, weights: [0.2, 0.2, 0.6] });
    // Rows of different lengths that finish at different steps, each with context enough for the cache.
    const longContext = Array.from({ length: 24 }, (_, k) => ['my cat ran fast', 'the team played well'][k % 2]!);
    const mixed = requests.map((request, i) => ({
      ...request,
      prompt: i % 2 ? 'did you see' : 'the game',
      context: longContext.slice(i),
      maxWords: 4 + i,
    }));
    const batched = await replies(continuous, mixed);
    for (const [i, request] of mixed.entries()) {
      const [alone] = await replies(continuous, [request]);
      expect(batched[i]!.continuation).toBe(alone!.continuation);
    }
    expect(await replies(continuous, mixed)).toEqual(batched);
    const plain = await replies(unigram, mixed);
    expect(batched.filter((reply, i) => reply.continuation !== plain[i]!.continuation).length).toBeGreaterThan(0);
    // The reply's own tokens join a continuous cache too (each with the state that drew it), unless the
    // generator is told to keep them out.
    expect(await replies(continuous, mixed, { cacheReplyTokens: true })).toEqual(batched);
    const without = await replies(continuous, mixed, { cacheReplyTokens: false });
    expect(without.filter((reply, i) => reply.continuation !== batched[i]!.continuation).length).toBeGreaterThan(0);
    for (const [i, request] of mixed.entries()) {
      const [alone] = await replies(continuous, [request], { cacheReplyTokens: false });
      expect(without[i]!.continuation).toBe(alone!.continuation);
    }
  });

  it('draws without a continuous cache that holds too little of the channel: the mixture without a cache', async () => {
    const continuous = await save('continuous-short', { window: 200, theta: 5, weights: [0.2, 0.2, 0.6] });
    const plain = await save('no-cache');
    const short = requests.map((request, i) => ({ ...request, ...(i % 2 === 0 && { context: undefined }) }));
    // 'did you' after at most two short messages: far fewer ids than MIN_CONTINUOUS_CACHE_IDS.
    expect(await replies(continuous, short)).toEqual(await replies(plain, short));
    const long = short.map((request) => ({
      ...request,
      context: Array.from({ length: MIN_CONTINUOUS_CACHE_IDS / 4 }, () => 'my cat ran fast'),
    }));
    const [withCache, without] = [await replies(continuous, long), await replies(plain, long)];
    expect(withCache.filter((reply, i) => reply.continuation !== without[i]!.continuation).length).toBeGreaterThan(0);
  });

  it("draws the same whenever the batch's keys are made again, and other tokens with the reply's own keys out", async () => {
    const model = await save('remade-keys', { window: 40, theta: 5, weights: [0.2, 0.2, 0.6] });
    const stepper = new LstmBatchStepper(model.params, [PAD_ID, UNK_ID]);
    const context = Array.from(
      { length: MIN_CONTINUOUS_CACHE_IDS },
      (_, k) => ids('my cat ran fast the team played well')[k % 8]!,
    );
    // Long streams (no <eos>) that leave the batch at different steps, past several remakes.
    const streams = [0, 1, 2, 3].map((seed) => ({
      promptIds: ids('did you'),
      contextIds: context.slice(seed),
      options: resolveGenerationOptions({ temperature: 1, maxWords: 30 + 9 * seed, seed }),
    }));
    const draw = (settings: Partial<TokenGenerationSettings>) =>
      generateTokenIds(stepper, streams, {
        noRepeatNgramSize: 0,
        maxTokensPerWord: 1,
        mixer: model.mixer,
        ...settings,
      });
    try {
      const before = tf.memory().numTensors;
      const never = await draw({ cacheReplyTokens: true, replyKeysRemadeEvery: Infinity });
      expect(never.map((stream) => stream.ids.length)).toEqual([30, 39, 48, 57]);
      for (const every of [1, 5, 32])
        expect(await draw({ cacheReplyTokens: true, replyKeysRemadeEvery: every })).toEqual(never);
      for (const every of [0, -1, 2.5, Number.NaN])
        await expect(draw({ cacheReplyTokens: true, replyKeysRemadeEvery: every })).rejects.toThrow(RangeError);
      const out = await draw({ cacheReplyTokens: false });
      expect(out.filter((stream, i) => stream.ids.join() !== never[i]!.ids.join()).length).toBeGreaterThan(0);
      expect(tf.memory().numTensors).toBe(before);
    } finally {
      stepper.dispose();
    }
  });

  it("lets the reply's own tokens into the cache by default, and not when told", async () => {
    const model = await save('own', { window: 8, weights: [0.3, 0.3, 0.4] });
    const own = await replies(model, requests);
    expect(await replies(model, requests, { cacheReplyTokens: true })).toEqual(own);
    const without = await replies(model, requests, { cacheReplyTokens: false });
    expect(without.filter((reply, i) => reply.continuation !== own[i]!.continuation).length).toBeGreaterThan(0);
  });
});
