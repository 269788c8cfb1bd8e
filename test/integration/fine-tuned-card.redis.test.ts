import { cp, mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ChannelRef } from '../../src/commands/channel-ref.js';
import { RedisHistoryStore } from '../../src/history/redis-history-store.js';
import type { StoredMessage } from '../../src/history/stored-message.js';
import type { FineTuneOptions } from '../../src/model/training/fine-tune.js';
import type { ModelCard } from '../../src/model/store/model-card.js';
import { CACHE_THETAS, CACHE_WINDOWS } from '../../src/model/evaluation/fit-mixture-weights.js';
import { modelPaths } from '../../src/model/store/model-location.js';
import { ModelResolver } from '../../src/model/store/model-resolver.js';
import { fineTuneChannel } from '../../src/training/fine-tune-channel.js';
import { loadModel } from '../../src/model/store/load-model.js';
import { LstmTextGenerator } from '../../src/model/sampling/lstm-text-generator.js';
import { tokenize } from '../../src/model/text/tokenize.js';
import { channelMessages } from '../helpers/channel-messages.js';
import { deleteKeys, TEST_REDIS_URL, testPrefix } from '../helpers/redis-test-env.js';

const channel: ChannelRef = { platform: 'console', workspace: 'local', channel: 'cards' };

/** The token 6-grams of one message's tokens. */
function sixGrams(tokens: readonly string[]): string[] {
  return tokens.slice(5).map((_, i) => tokens.slice(i, i + 6).join(' '));
}

describe("a fine-tuned model's card", () => {
  let redis: Redis;
  let prefix: string;
  let modelsDir: string;
  beforeAll(() => {
    redis = new Redis(TEST_REDIS_URL);
  });
  afterAll(() => redis.disconnect());
  beforeEach(async () => {
    prefix = testPrefix();
    modelsDir = await mkdtemp(join(tmpdir(), 'lstm-bot-card-'));
    await cp('test/fixtures/models/tiny', join(modelsDir, 'base'), { recursive: true });
  });
  afterEach(async () => {
    await deleteKeys(TEST_REDIS_URL, prefix);
    await rm(modelsDir, { recursive: true, force: true });
  });

  /** `/retrain` of `messages` stored as the channel's history. */
  const retrain = async (messages: StoredMessage[], fineTune: Partial<FineTuneOptions>) => {
    const history = new RedisHistoryStore(redis, prefix, 1_000);
    await history.append(channel, messages);
    return fineTuneChannel({
      history,
      modelsDir,
      baseModelDir: join(modelsDir, 'base'),
      channel,
      messages: 1_000,
      keepRawHistory: false,
      keepVersions: 3,
      fineTune,
      onProgress: () => undefined,
      onPublished: async () => undefined,
    });
  };

  it("records the run's own batch size, epochs, unknown-word rate and validation tokens, not the base model's", async () => {
    // Words seen once stay out of the vocabulary: they are the channel's unknown words.
    const rare = Array.from({ length: 20 }, (_, i) => ({ text: `the dog saw once${i} today`, author: 'u1' }));
    const summary = await retrain([...rare, ...channelMessages('zorblax', 200)], {
      epochs: 2,
      batchSize: 4,
      seqLength: 8,
    });
    expect(summary.published).toBe(true);

    const base = JSON.parse(await readFile(join(modelsDir, 'base', 'card.json'), 'utf8')) as ModelCard;
    const resolved = await new ModelResolver(modelPaths({ MODELS_DIR: modelsDir }), 0).resolve(channel);
    const card = JSON.parse(await readFile(join(resolved!.dir, 'card.json'), 'utf8')) as ModelCard;
    expect(base.training).toMatchObject({ batchSize: 8, seqLength: 16, epochs: 3 });
    expect(card.training).toMatchObject({ batchSize: 4, seqLength: 8, epochs: 2, stoppedBy: 'epochs' });
    expect(card.corpus.messages).toBe(summary.messagesUsed - summary.heldOutMessages);
    expect(card.corpus.unknownRate).toBeGreaterThan(0);
    expect(card.corpus.unknownRate).toBeLessThan(0.2);
    expect(card.corpus.tokens).toBeGreaterThan(card.corpus.messages);
    expect(card.validation.tokens).toBeGreaterThan(0);
    expect(card.validation.perplexity).toBeCloseTo(summary.perplexityFineTuned, 6);
    expect(card.validation.loss).toBeCloseTo(Math.log(summary.perplexityFineTuned), 6);
    expect(card.command).toBe(`retrain from ${base.id}`);
  });

  it("has the channel's copy guard beside it: no reply repeats 6 tokens of the channel's messages", async () => {
    const messages = channelMessages('zorblax', 200);
    const summary = await retrain(messages, { epochs: 3, batchSize: 8, seqLength: 8 });
    expect(summary.published).toBe(true);
    const { dir } = (await new ModelResolver(modelPaths({ MODELS_DIR: modelsDir }), 0).resolve(channel))!;
    const card = JSON.parse(await readFile(join(dir, 'card.json'), 'utf8')) as ModelCard;
    expect(card.copyGuard).toMatchObject({ file: 'copy6.bin', n: 6 });
    const channelGrams = new Set(messages.flatMap((message) => sixGrams(tokenize(message.text))));
    expect(card.copyGuard!.ngrams).toBe(channelGrams.size);
    expect((await stat(join(dir, 'copy6.bin'))).size).toBe(channelGrams.size * 8);

    const requests = Array.from({ length: 24 }, (_, seed) => ({
      prompt: messages[seed]!.text.split(' ').slice(0, 3).join(' '),
      temperature: seed % 8 === 0 ? 0 : 0.8,
      maxWords: 30,
      minWords: 12,
      seed,
    }));
    const copiesIn = async (guarded: boolean): Promise<number> => {
      const model = await loadModel(dir);
      expect(model.copyGuard?.ngrams.size).toBe(channelGrams.size);
      const generator = new LstmTextGenerator(guarded ? model : { ...model, copyGuard: undefined });
      try {
        const replies = await generator.generate(requests);
        return replies
          .map(({ continuation }, i) => sixGrams([...tokenize(requests[i]!.prompt), ...tokenize(continuation)]))
          .reduce((sum, grams) => sum + grams.filter((gram) => channelGrams.has(gram)).length, 0);
      } finally {
        generator.dispose();
      }
    };
    // Unguarded, the model copies its channel; guarded, never a 6-gram (prompt included).
    expect(await copiesIn(false)).toBeGreaterThan(20);
    expect(await copiesIn(true)).toBe(0);
  });

  it("records the mixture's cache, fitted on the validation split, and samples with it when its weight is above 0", async () => {
    const summary = await retrain(channelMessages('zorblax', 200), { epochs: 2, batchSize: 4, seqLength: 8 });
    expect(summary.published).toBe(true);
    const { dir } = (await new ModelResolver(modelPaths({ MODELS_DIR: modelsDir }), 0).resolve(channel))!;
    const card = JSON.parse(await readFile(join(dir, 'card.json'), 'utf8')) as ModelCard;
    const cache = card.mixture!.cache!;
    expect(CACHE_WINDOWS).toContain(cache.window);
    // θ is fitted with the window on the validation's hidden states: absent for a unigram cache.
    expect(cache.theta === undefined || CACHE_THETAS.includes(cache.theta as never)).toBe(true);
    expect(cache.theta).not.toBe(0);
    expect(cache.weights.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
    // The cache is fitted with λ's grid: with a weight of 0 it is the mixture without it.
    expect(cache.validationPerplexity).toBeLessThanOrEqual(card.mixture!.validationPerplexity);
    const sampled = cache.weights[2] > 0 ? cache.heldOutPerplexity : card.mixture!.heldOutPerplexity;
    expect(summary.perplexityMixture).toBeCloseTo(sampled, 9);

    const model = await loadModel(dir);
    expect(model.mixer?.cache).toEqual(
      cache.weights[2] > 0
        ? { window: cache.window, ...(cache.theta && { theta: cache.theta }), weights: cache.weights }
        : undefined,
    );
    const generator = new LstmTextGenerator(model);
    try {
      const [reply] = await generator.generate([{ prompt: 'the zorblax', temperature: 0.8, maxWords: 12, seed: 1 }]);
      expect(reply!.tokens).toBeGreaterThan(0);
    } finally {
      generator.dispose();
    }
  });
});
