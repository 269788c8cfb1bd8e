import { cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ChannelRef } from '../../src/commands/channel-ref.js';
import { RedisHistoryStore } from '../../src/history/redis-history-store.js';
import type { ModelCard } from '../../src/model/store/model-card.js';
import { modelPaths } from '../../src/model/store/model-location.js';
import { ModelResolver } from '../../src/model/store/model-resolver.js';
import { fineTuneChannel } from '../../src/training/fine-tune-channel.js';
import { channelMessages } from '../helpers/channel-messages.js';
import { deleteKeys, TEST_REDIS_URL, testPrefix } from '../helpers/redis-test-env.js';

const channel: ChannelRef = { platform: 'console', workspace: 'local', channel: 'cards' };

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

  it("records the run's own batch size, epochs, unknown-word rate and validation tokens, not the base model's", async () => {
    const history = new RedisHistoryStore(redis, prefix, 1_000);
    // Words seen once stay out of the vocabulary: they are the channel's unknown words.
    const rare = Array.from({ length: 20 }, (_, i) => ({ text: `the dog saw once${i} today`, author: 'u1' }));
    await history.append(channel, [...rare, ...channelMessages('zorblax', 200)]);
    const summary = await fineTuneChannel({
      history,
      modelsDir,
      baseModelDir: join(modelsDir, 'base'),
      channel,
      messages: 1_000,
      keepRawHistory: false,
      keepVersions: 3,
      fineTune: { epochs: 2, batchSize: 4, seqLength: 8 },
      onProgress: () => undefined,
      onPublished: async () => undefined,
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
});
