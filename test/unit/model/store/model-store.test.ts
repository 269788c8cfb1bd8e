import { mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { evaluateModel } from '../../../../src/model/evaluation/evaluate-model.js';
import { initParams } from '../../../../src/model/lstm/init-params.js';
import { loadModel } from '../../../../src/model/store/load-model.js';
import { disposeParams, paramTensors, type LstmParams } from '../../../../src/model/lstm/lstm-params.js';
import type { ModelCard } from '../../../../src/model/store/model-card.js';
import { saveModel } from '../../../../src/model/store/save-model.js';
import { copyGuardFiles } from '../../../../src/model/store/copy-guard-file.js';
import { tf } from '../../../../src/model/lstm/tf.js';
import { Vocabulary } from '../../../../src/model/text/vocabulary.js';

const root = await mkdtemp(join(tmpdir(), 'lstm-bot-store-'));
afterAll(() => rm(root, { recursive: true, force: true }));

const vocab = Vocabulary.build(
  new Map(['hello', 'world', 'game', 'did', 'you', 'see', 'the'].map((w, i) => [w, 10 - i])),
  {
    maxSize: 32,
  },
);
const config = { vocabSize: vocab.size, embeddingSize: 6, hiddenSize: 8, layers: 2 };
const stream = Int32Array.from({ length: 200 }, (_, k) => (k * 7) % vocab.size);

function card(id: string): Omit<ModelCard, 'weights'> {
  return {
    format: 'lstm-bot-model',
    formatVersion: 1,
    id,
    createdAt: new Date(0).toISOString(),
    config,
    corpus: { name: 'fixture', sha256: '0'.repeat(64), format: 'lines', messages: 1, tokens: 200, unknownRate: 0 },
    training: {
      seqLength: 8,
      batchSize: 4,
      learningRate: 0.002,
      carryState: true,
      seed: 1,
      epochs: 1,
      tokensSeen: 0,
      trainingSeconds: 0,
      stoppedBy: 'epochs',
      backend: 'test',
    },
    validation: { loss: 1, perplexity: Math.E, tokens: 10 },
    command: 'lstm-bot train --corpus fixture --out model',
    licenses: [],
  };
}

const loss = (params: LstmParams): number => evaluateModel(params, stream, { batchSize: 4, seqLength: 8 }).loss;

describe('saveModel / loadModel', () => {
  it('round-trips the weights exactly: the loaded model gives identical outputs', async () => {
    const params = initParams(config, 5);
    const dir = join(root, 'exact');
    const written = await saveModel(dir, { params, vocab, card: card('exact-1') });
    const loaded = await loadModel(dir);
    expect(loaded.card).toEqual(written);
    expect(loaded.card.weights).toMatchObject({ dtype: 'float32', file: 'weights.bin' });
    expect(loaded.vocab.toJSON()).toEqual(vocab.toJSON());
    const a = paramTensors(params);
    const b = paramTensors(loaded.params);
    expect(b.map((x) => x.name)).toEqual(a.map((x) => x.name));
    for (let k = 0; k < a.length; k++) expect(b[k]!.tensor.dataSync()).toEqual(a[k]!.tensor.dataSync());
    expect(loss(loaded.params)).toBe(loss(params));
    disposeParams(params);
    disposeParams(loaded.params);
  });

  it('stores a tied model as its projection, not its kernel, and loads it back without P E^T', async () => {
    const tiedConfig = { ...config, tiedEmbedding: true };
    const params = initParams(tiedConfig, 7);
    const untied = initParams(config, 7);
    const dir = join(root, 'tied');
    const written = await saveModel(dir, { params, vocab, card: { ...card('tied-1'), config: tiedConfig } });
    const plain = await saveModel(join(root, 'untied'), { params: untied, vocab, card: card('untied-1') });
    // [hidden, embedding] instead of [hidden, vocab] floats.
    expect(plain.weights.bytes - written.weights.bytes).toBe(
      4 * config.hiddenSize * (vocab.size - config.embeddingSize),
    );
    const loaded = await loadModel(dir);
    expect(loaded.params.config.tiedEmbedding).toBe(true);
    expect(loaded.params.outputKernel).toBeUndefined();
    expect(loaded.params.outputProjection!.dataSync()).toEqual(params.outputProjection!.dataSync());
    expect(loss(loaded.params)).toBe(loss(params));
    for (const p of [params, untied, loaded.params]) disposeParams(p);
  });

  it('stores float16 weights in half the bytes and loads them back as float32 within tolerance', async () => {
    const params = initParams(config, 6);
    const full = await saveModel(join(root, 'f32'), { params, vocab, card: card('f32') });
    const half = await saveModel(join(root, 'f16'), { params, vocab, card: card('f16') }, { float16: true });
    expect(half.weights.bytes).toBe(full.weights.bytes / 2);
    expect((await stat(join(root, 'f16', 'weights.bin'))).size).toBe(half.weights.bytes);
    const loaded = await loadModel(join(root, 'f16'));
    const a = paramTensors(params);
    const b = paramTensors(loaded.params);
    for (let k = 0; k < a.length; k++) {
      expect(b[k]!.tensor.dtype).toBe('float32');
      const diff = tf.tidy(() => tf.max(tf.abs(tf.sub(a[k]!.tensor, b[k]!.tensor))).dataSync()[0]!);
      const scale = tf.tidy(() => tf.max(tf.abs(a[k]!.tensor)).dataSync()[0]!);
      expect(diff).toBeLessThanOrEqual(scale / 1024);
    }
    expect(Math.abs(loss(loaded.params) - loss(params))).toBeLessThan(1e-2);
    disposeParams(params);
    disposeParams(loaded.params);
  });

  it('replaces an existing model folder atomically, leaving no temporary folders', async () => {
    const dir = join(root, 'replace');
    const first = initParams(config, 7);
    const second = initParams(config, 8);
    await saveModel(dir, { params: first, vocab, card: card('first') });
    await writeFile(join(dir, 'stale.txt'), 'from the old model');
    await saveModel(dir, { params: second, vocab, card: card('second') });
    const loaded = await loadModel(dir);
    expect(loaded.card.id).toBe('second');
    expect(loss(loaded.params)).toBe(loss(second));
    expect((await readdir(dir)).sort()).toEqual(['card.json', 'model.json', 'vocab.json', 'weights.bin']);
    expect((await readdir(root)).filter((name) => name.startsWith('.'))).toEqual([]);
    for (const p of [first, second, loaded.params]) disposeParams(p);
  });

  it('keeps the old model when a save fails', async () => {
    const dir = join(root, 'keep');
    const params = initParams(config, 9);
    await saveModel(dir, { params, vocab, card: card('old') });
    const broken = {
      toJSON: () => {
        throw new Error('disk full');
      },
    } as unknown as Vocabulary;
    await expect(saveModel(dir, { params, vocab: broken, card: card('new') })).rejects.toMatchObject({
      code: 'MODEL_WRITE_FAILED',
      message: expect.stringContaining('disk full'),
    });
    const loaded = await loadModel(dir);
    expect(loaded.card.id).toBe('old');
    expect((await readdir(root)).filter((name) => name.startsWith('.'))).toEqual([]);
    disposeParams(params);
    disposeParams(loaded.params);
  });

  it('names the folder and the problem when there is no model or it is broken', async () => {
    await expect(loadModel(join(root, 'nothing-here'))).rejects.toMatchObject({
      code: 'MODEL_NOT_FOUND',
      message: expect.stringContaining('nothing-here'),
    });
    const dir = join(root, 'broken');
    const params = initParams(config, 10);
    await saveModel(dir, { params, vocab, card: card('broken') });
    await writeFile(join(dir, 'weights.bin'), Buffer.alloc(12));
    await expect(loadModel(dir)).rejects.toMatchObject({ code: 'MODEL_INVALID' });
    await writeFile(join(dir, 'card.json'), '{not json');
    await expect(loadModel(dir)).rejects.toMatchObject({
      code: 'MODEL_INVALID',
      message: expect.stringContaining('card.json'),
    });
    disposeParams(params);
  });

  it("reads a channel model's copy guard when its card names one, and refuses a file that does not match", async () => {
    const params = initParams(config, 11);
    const dir = join(root, 'guarded');
    const guard = copyGuardFiles(['did you see the game', 'hello world did you see the game hello'], vocab);
    expect(guard.card.copyGuard).toEqual({ file: 'copy6.bin', n: 6, ngrams: 3 });
    await saveModel(dir, { params, vocab, files: guard.files, card: { ...card('guarded'), ...guard.card } });
    const loaded = await loadModel(dir);
    expect(loaded.copyGuard?.ngrams.size).toBe(3);
    const ids = (text: string) => text.split(' ').map((word) => vocab.idOf(word));
    expect(loaded.copyGuard!.refused(ids('world did you see the'))).toEqual(ids('game'));
    disposeParams(loaded.params);
    // A folder without the card's copyGuard (a base model, a channel model from before it) has no guard.
    const plain = await loadModel(join(root, 'exact'));
    expect(plain.copyGuard).toBeUndefined();
    disposeParams(plain.params);
    await writeFile(join(dir, 'copy6.bin'), Buffer.alloc(8));
    await expect(loadModel(dir)).rejects.toMatchObject({
      code: 'MODEL_INVALID',
      message: expect.stringContaining('copy6.bin'),
    });
    disposeParams(params);
  });
});
