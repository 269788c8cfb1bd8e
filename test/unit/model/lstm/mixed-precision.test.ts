import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Tensor, Tensor2D } from '@tensorflow/tfjs';
import { initParams } from '../../../../src/model/lstm/init-params.js';
import { disposeGrads, lstmGradients, type LossAndGrads } from '../../../../src/model/lstm/lstm-gradients.js';
import { disposeParams } from '../../../../src/model/lstm/lstm-params.js';
import { disposeLstmState, zeroLstmState } from '../../../../src/model/lstm/lstm-state.js';
import { nativeKernels } from '../../../../src/model/lstm/native-kernels.js';
import { tf } from '../../../../src/model/lstm/tf.js';
import type { TrainBatch } from '../../../../src/model/lstm/train-batch.js';
import { prepareCorpus } from '../../../../src/model/corpus/prepare-corpus.js';
import { trainModel } from '../../../../src/model/training/train-model.js';
import {
  cpuFlags,
  defaultSamplePrecision,
  defaultTrainPrecision,
  hasBf16,
  whyMixedCannotRun,
} from '../../../../src/model/lstm/output-precision.js';

const FIXTURE = new URL('../../../fixtures/tiny-dialogue.txt', import.meta.url).pathname;

/** ||a - b|| / ||b|| */
function relativeError(a: Tensor, b: Tensor): number {
  return tf.tidy(() => tf.div(tf.norm(tf.sub(a, b)), tf.norm(b)).dataSync()[0]!);
}

function grads(r: LossAndGrads): Tensor[] {
  const g = r.grads;
  return [
    g.embedding,
    ...g.layers.flatMap((l) => [l.kernel, l.bias]),
    (g.outputKernel ?? g.outputProjection)!,
    g.outputBias,
  ];
}

function disposeResult(r: LossAndGrads): void {
  r.loss.dispose();
  disposeGrads(r.grads);
  disposeLstmState(r.state);
}

describe.runIf(nativeKernels)('bfloat16 products (native backend)', () => {
  const kernels = nativeKernels!;

  it('multiply like float32 to bfloat16 precision, in every transposition, and free their operands in tf.tidy', () => {
    const a = tf.randomNormal([40, 24], 0, 1, 'float32', 1) as Tensor2D;
    const b = tf.randomNormal([24, 300], 0, 1, 'float32', 2) as Tensor2D;
    const before = tf.memory().numTensors;
    const cases: [Tensor2D, Tensor2D, boolean, boolean][] = [
      [a, b, false, false],
      [tf.transpose(a), b, true, false],
      [a, tf.transpose(b), false, true],
      [tf.transpose(a), tf.transpose(b), true, true],
    ];
    const exact = kernels.matMul(a, b);
    for (const [x, y, ta, tb] of cases) {
      const product = tf.tidy(() => kernels.matMulBf16(kernels.toBf16(x), kernels.toBf16(y), ta, tb));
      expect(product.dtype).toBe('float32');
      expect(product.shape).toEqual([40, 300]);
      // bfloat16 keeps 8 bits of mantissa: about 0.4% per operand, less on a sum of 24 products.
      const error = relativeError(product, exact);
      expect(error).toBeGreaterThan(0);
      expect(error).toBeLessThan(0.01);
      product.dispose();
    }
    tf.dispose(cases.flatMap(([x, y]) => [x, y]).filter((t) => t !== a && t !== b));
    exact.dispose();
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([a, b]);
  });

  it.each([false, true])(
    'give the loss and gradients of float32 training within bfloat16 rounding (tied: %s)',
    (tied) => {
      const V = 500;
      const params = initParams({ vocabSize: V, embeddingSize: 16, hiddenSize: 32, layers: 1, tiedEmbedding: tied }, 4);
      const batch: TrainBatch = {
        batchSize: 8,
        seqLength: 6,
        inputs: Int32Array.from({ length: 48 }, (_, k) => (k * 37 + 11) % V),
        targets: Int32Array.from({ length: 48 }, (_, k) => (k * 53 + 7) % V),
      };
      const state = zeroLstmState(params.config, 8);
      const exact = lstmGradients(params, batch, state, {}, 'float32');
      const mixed = lstmGradients(params, batch, state, {}, 'mixed');
      const loss = exact.loss.dataSync()[0]!;
      expect(mixed.loss.dataSync()[0]).toBeCloseTo(loss, 2);
      const [e, m] = [grads(exact), grads(mixed)];
      for (let k = 0; k < e.length; k++) {
        expect(m[k]!.shape).toEqual(e[k]!.shape);
        expect(relativeError(m[k]!, e[k]!)).toBeLessThan(0.02);
      }
      // The state comes from the LSTM, which runs in float32 either way.
      expect(relativeError(mixed.state.h[0]!, exact.state.h[0]!)).toBe(0);
      disposeResult(exact);
      disposeResult(mixed);
      disposeLstmState(state);
      disposeParams(params);
    },
  );

  it('trains a model as well as float32 does, and the result says which precision it used', async () => {
    const { ids, vocab } = await prepareCorpus(FIXTURE, { format: 'lines', vocabSize: 64 });
    const config = { vocabSize: vocab.size, embeddingSize: 16, hiddenSize: 24, layers: 1 };
    const options = { batchSize: 16, seqLength: 16, learningRate: 0.01, validationFraction: 0.1, epochs: 3 };
    const exact = await trainModel(initParams(config, 1), ids, { ...options, precision: 'float32' });
    const mixed = await trainModel(initParams(config, 1), ids, { ...options, precision: 'mixed' });
    const composed = await trainModel(initParams(config, 1), ids, {
      ...options,
      epochs: 1,
      precision: 'mixed',
      composedGradients: true,
    });
    expect([exact.precision, mixed.precision, composed.precision]).toEqual(['float32', 'mixed', 'float32']);
    expect(mixed.validation.loss).not.toBe(exact.validation.loss);
    expect(Math.abs(mixed.validation.loss - exact.validation.loss)).toBeLessThan(0.05 * exact.validation.loss);
    for (const result of [exact, mixed, composed]) disposeParams(result.params);
  });
});

describe('defaultTrainPrecision', () => {
  it('is mixed on a CPU with bfloat16 products, float32 elsewhere, and LSTM_BOT_TRAIN_PRECISION decides when set', () => {
    expect(defaultTrainPrecision({}, new Set(['avx2', 'avx512_bf16']))).toBe('mixed');
    expect(defaultTrainPrecision({}, new Set(['amx_bf16']))).toBe('mixed');
    expect(defaultTrainPrecision({}, new Set(['avx2', 'avx512f']))).toBe('float32');
    expect(defaultTrainPrecision({ LSTM_BOT_TRAIN_PRECISION: 'float32' }, new Set(['avx512_bf16']))).toBe('float32');
    expect(defaultTrainPrecision({ LSTM_BOT_TRAIN_PRECISION: 'mixed' }, new Set())).toBe('mixed');
    expect(defaultTrainPrecision({ LSTM_BOT_TRAIN_PRECISION: '' }, new Set())).toBe('float32');
    expect(() => defaultTrainPrecision({ LSTM_BOT_TRAIN_PRECISION: 'fp16' }, new Set())).toThrow(
      expect.objectContaining({ code: 'INVALID_TRAIN_OPTIONS', message: expect.stringContaining('"fp16"') }),
    );
  });

  it('is float32 by default where ONEDNN_MAX_CPU_ISA keeps oneDNN from the bfloat16 instructions', () => {
    const bf16 = new Set(['avx2', 'avx512f', 'avx512_bf16']);
    const limited = (isa: string, more: NodeJS.ProcessEnv = {}) =>
      defaultSamplePrecision({ ONEDNN_MAX_CPU_ISA: isa, ...more }, bf16);
    expect(limited('AVX512_CORE')).toBe('float32');
    expect(limited('avx2')).toBe('float32');
    expect(limited('AVX512_CORE_BF16')).toBe('mixed');
    expect(limited('AVX512_CORE_AMX')).toBe('mixed');
    expect(limited('AVX10_1_512')).toBe('mixed');
    expect(limited('ALL')).toBe('mixed');
    expect(limited('default')).toBe('mixed');
    expect(defaultTrainPrecision({ DNNL_MAX_CPU_ISA: 'AVX512_CORE_VNNI' }, bf16)).toBe('float32');
    expect(hasBf16(bf16, { ONEDNN_MAX_CPU_ISA: 'AVX2' })).toBe(false);
    // With TensorFlow's oneDNN off, Eigen multiplies bfloat16 no faster than float32.
    expect(defaultSamplePrecision({ TF_ENABLE_ONEDNN_OPTS: '0' }, bf16)).toBe('float32');
  });

  it('refuses mixed where oneDNN cannot multiply bfloat16 (below AVX-512), which would abort the process', () => {
    const avx2 = new Set(['avx2', 'fma']);
    const avx512 = new Set(['avx2', 'avx512f', 'avx512_bf16']);
    const refused = expect.objectContaining({
      code: 'INVALID_TRAIN_OPTIONS',
      message: expect.stringContaining('AVX-512'),
    });
    expect(() => defaultSamplePrecision({ LSTM_BOT_SAMPLE_PRECISION: 'mixed' }, avx2)).toThrow(refused);
    expect(() =>
      defaultTrainPrecision({ LSTM_BOT_TRAIN_PRECISION: 'mixed', ONEDNN_MAX_CPU_ISA: 'AVX2' }, avx512),
    ).toThrow(expect.objectContaining({ message: expect.stringContaining('ONEDNN_MAX_CPU_ISA=AVX2') }));
    expect(whyMixedCannotRun(avx512, { DNNL_MAX_CPU_ISA: 'avx2_vnni_2' })).toMatch(/^DNNL_MAX_CPU_ISA=AVX2_VNNI_2 /);
    // Emulated bfloat16 below the BF16 extension still runs (slowly); Eigen runs it anywhere with oneDNN off.
    expect(
      defaultSamplePrecision({ LSTM_BOT_SAMPLE_PRECISION: 'mixed', ONEDNN_MAX_CPU_ISA: 'AVX512_CORE' }, avx512),
    ).toBe('mixed');
    expect(defaultSamplePrecision({ LSTM_BOT_SAMPLE_PRECISION: 'mixed', TF_ENABLE_ONEDNN_OPTS: '0' }, avx2)).toBe(
      'mixed',
    );
    expect(whyMixedCannotRun(new Set(), {})).toBeUndefined(); // flags unknown (off Linux): not held against it
  });

  it('reads the flags line of a cpuinfo file, and none when there is no such file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cpuinfo-'));
    const file = join(dir, 'cpuinfo');
    writeFileSync(
      file,
      'processor\t: 0\nmodel name\t: Test CPU\nflags\t\t: fpu sse2 avx512_bf16 avx2\n\nprocessor\t: 1\n',
    );
    expect([...cpuFlags(file)]).toEqual(['fpu', 'sse2', 'avx512_bf16', 'avx2']);
    expect(cpuFlags(join(dir, 'missing')).size).toBe(0);
  });
});
