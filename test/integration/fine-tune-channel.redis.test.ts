import { cp, mkdtemp, readFile, readlink, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ChannelRef } from '../../src/commands/channel-ref.js';
import { RedisHistoryStore } from '../../src/history/redis-history-store.js';
import { fineTuneDefaults } from '../../src/model/training/fine-tune.js';
import type { ModelCard } from '../../src/model/store/model-card.js';
import { ChannelModelVersions } from '../../src/model/store/channel-model-versions.js';
import { modelPaths } from '../../src/model/store/model-location.js';
import { ModelResolver } from '../../src/model/store/model-resolver.js';
import { fineTuneChannel, type FineTuneChannelOptions } from '../../src/training/fine-tune-channel.js';
import { TrainingCheckpoint, type CheckpointState } from '../../src/training/training-checkpoint.js';
import type { TrainingProgress } from '../../src/training/training-progress.js';
import { channelMessages } from '../helpers/channel-messages.js';
import { deleteKeys, TEST_REDIS_URL, testPrefix } from '../helpers/redis-test-env.js';

const BASE = 'test/fixtures/models/tiny';
const channelA: ChannelRef = { platform: 'console', workspace: 'local', channel: 'a' };
const channelB: ChannelRef = { platform: 'console', workspace: 'local', channel: 'b' };
const tinyTraining = { epochs: 2, batchSize: 8, seqLength: 8 };

describe('fineTuneChannel', () => {
  let redis: Redis;
  let prefix: string;
  let modelsDir: string;
  let history: RedisHistoryStore;
  beforeAll(() => {
    redis = new Redis(TEST_REDIS_URL);
  });
  afterAll(() => redis.disconnect());
  beforeEach(async () => {
    prefix = testPrefix();
    modelsDir = await mkdtemp(join(tmpdir(), 'lstm-bot-retrain-'));
    await cp(BASE, join(modelsDir, 'base'), { recursive: true });
    history = new RedisHistoryStore(redis, prefix, 1_000);
  });
  afterEach(async () => {
    await deleteKeys(TEST_REDIS_URL, prefix);
    await rm(modelsDir, { recursive: true, force: true });
  });
  const options = (channel: ChannelRef, extra: Partial<FineTuneChannelOptions> = {}): FineTuneChannelOptions => ({
    history,
    modelsDir,
    baseModelDir: join(modelsDir, 'base'),
    channel,
    messages: 1_000,
    keepRawHistory: true,
    keepVersions: 3,
    fineTune: tinyTraining,
    onProgress: () => undefined,
    onPublished: async () => undefined,
    ...extra,
  });
  const vocabOf = async (channel: ChannelRef): Promise<string[]> => {
    const resolved = await new ModelResolver(modelPaths({ MODELS_DIR: modelsDir }), 0).resolve(channel);
    return (JSON.parse(await readFile(join(resolved!.dir, 'vocab.json'), 'utf8')) as { tokens: string[] }).tokens;
  };

  it("learns the channel's own word, publishes a better model, and keeps channels apart", async () => {
    await history.append(channelA, channelMessages('zorblax', 200));
    await history.append(channelB, channelMessages('quuxly', 200));
    const progress: TrainingProgress[] = [];
    const published: string[] = [];
    const a = await fineTuneChannel(
      options(channelA, { onProgress: (p) => progress.push(p), onPublished: async (v) => void published.push(v) }),
    );
    expect(a.published).toBe(true);
    expect(a.perplexityFineTuned).toBeLessThan(a.perplexityBase);
    expect(a).toMatchObject({ messagesUsed: 200, heldOutMessages: 20 });
    expect(a.sampleWords).toContain('zorblax');
    expect(published).toEqual([a.version]);
    expect(progress.map((p) => p.stage)).toEqual(expect.arrayContaining(['reading', 'training', 'publishing']));
    expect(await new ChannelModelVersions(modelsDir, channelA).current()).toBe(a.version);
    expect((await new ModelResolver(modelPaths({ MODELS_DIR: modelsDir }), 0).resolve(channelA))?.scope).toBe(
      'channel',
    );
    expect((await new ModelResolver(modelPaths({ MODELS_DIR: modelsDir }), 0).resolve(channelB))?.scope).toBe('base');
    // The card says how the channel's model was trained, not how the base was.
    const resolved = await new ModelResolver(modelPaths({ MODELS_DIR: modelsDir }), 0).resolve(channelA);
    const card = JSON.parse(await readFile(join(resolved!.dir, 'card.json'), 'utf8')) as ModelCard;
    expect(card.training).toMatchObject({
      batchSize: tinyTraining.batchSize,
      seqLength: tinyTraining.seqLength,
      learningRate: fineTuneDefaults.learningRate,
      epochs: tinyTraining.epochs,
      dropout: fineTuneDefaults.dropout,
      schedule: { warmupFraction: fineTuneDefaults.warmupFraction, decay: fineTuneDefaults.decay },
      averageFrom: fineTuneDefaults.averageFrom,
    });

    const b = await fineTuneChannel(options(channelB));
    expect(b.published).toBe(true);
    expect(await vocabOf(channelA)).toContain('zorblax');
    expect(await vocabOf(channelA)).not.toContain('quuxly');
    expect(await vocabOf(channelB)).toContain('quuxly');
    expect(await vocabOf(channelB)).not.toContain('zorblax');
  });

  it("keeps the channel's authors' names out of its vocabulary, addressing read as the user placeholder", async () => {
    const messages = channelMessages('zorblax', 200, ['bomholt', 'abhisekp']).map((message, i) => {
      const other = message.author === 'bomholt' ? 'Abhisekp' : 'bomholt';
      return { ...message, text: i % 2 === 0 ? `${other}: ${message.text}` : `thanks ${other}, ${message.text}` };
    });
    await history.append(channelA, messages);
    const summary = await fineTuneChannel(options(channelA));
    expect(summary.published).toBe(true);
    const vocab = await vocabOf(channelA);
    expect(vocab).toContain('zorblax');
    expect(vocab).not.toContain('bomholt');
    expect(vocab).not.toContain('abhisekp');
  });

  it('does not publish a model that is not better than the base one, and says so', async () => {
    await history.append(channelA, channelMessages('zorblax', 120));
    const summary = await fineTuneChannel(options(channelA, { fineTune: { ...tinyTraining, learningRate: 0 } }));
    expect(summary.published).toBe(false);
    expect(summary.perplexityFineTuned).toBeGreaterThanOrEqual(summary.perplexityBase);
    expect(await new ChannelModelVersions(modelsDir, channelA).current()).toBeUndefined();
    expect((await new ModelResolver(modelPaths({ MODELS_DIR: modelsDir }), 0).resolve(channelA))?.scope).toBe('base');
  });

  it('deletes the raw history after training unless kept', async () => {
    await history.append(channelA, channelMessages('zorblax', 60));
    await fineTuneChannel(options(channelA, { keepRawHistory: false, fineTune: { ...tinyTraining, epochs: 1 } }));
    expect(await history.count(channelA)).toBe(0);
  });

  it('resumes from a checkpoint of the same request, and starts over from one that is corrupt or of another base model', async () => {
    await history.append(channelA, channelMessages('zorblax', 200));
    const store = new TrainingCheckpoint(modelsDir, channelA, 'req-1');
    const ignored: string[] = [];
    const checkpoint = { store, requestId: 'req-1', onIgnored: (reason: string) => void ignored.push(reason) };
    const first = await fineTuneChannel(options(channelA, { checkpoint }));
    expect(first.resumedFrom).toBeUndefined();
    expect(await store.exists()).toBe(true);
    const stateFile = async () => join(store.dir, await readlink(join(store.dir, 'latest')), 'checkpoint.json');
    const state = JSON.parse(await readFile(await stateFile(), 'utf8')) as CheckpointState;
    expect(state).toMatchObject({ requestId: 'req-1', messages: 200, heldOutMessages: 20 });
    expect(state.wordsAdded).toContain('zorblax');

    const progress: TrainingProgress[] = [];
    const resumed = await fineTuneChannel(
      options(channelA, { checkpoint, onProgress: (p) => progress.push(p), fineTune: { ...tinyTraining, epochs: 3 } }),
    );
    expect(progress).toContainEqual({ stage: 'resumed', epochs: state.epochs, tokensSeen: state.tokensSeen });
    expect(resumed.resumedFrom).toEqual({ epochs: state.epochs, tokensSeen: state.tokensSeen });
    expect(resumed.perplexityBase).toBe(state.perplexityBase);
    expect(ignored).toEqual([]);

    await writeFile(await stateFile(), JSON.stringify({ ...state, baseModelId: 'another-base' }));
    const otherBase = await fineTuneChannel(options(channelA, { checkpoint }));
    expect(otherBase.resumedFrom).toBeUndefined();
    expect(ignored.at(-1)).toMatch(/base model another-base/);

    const weights = join(store.dir, await readlink(join(store.dir, 'latest')), 'weights.bin');
    await writeFile(weights, 'not weights');
    const corrupt = await fineTuneChannel(options(channelA, { checkpoint }));
    expect(corrupt.resumedFrom).toBeUndefined();
    expect(ignored).toHaveLength(2);
    expect(corrupt.published).toBe(true);

    await store.remove();
    await expect(stat(join(modelsDir, 'channels/console/local/a/checkpoints'))).rejects.toMatchObject({
      code: 'ENOENT',
    });
  });

  it('refuses a channel with too few stored messages', async () => {
    await history.append(channelA, channelMessages('zorblax', 3));
    await expect(fineTuneChannel(options(channelA))).rejects.toMatchObject({ code: 'CORPUS_TOO_SMALL' });
  });
});
