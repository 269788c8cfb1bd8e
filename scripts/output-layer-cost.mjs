#!/usr/bin/env node
/**
 * What a sampling step's output layer costs, and what a smaller one would: `node
 * scripts/output-layer-cost.mjs [VOCAB] [BATCH,...] [DIST_DIR]` (default 12000, the shipped vocabulary;
 * batches 1,16; `dist` from `npm run build`). One TensorFlow thread, as a generation worker. Random
 * weights at hidden 256, embedding 128. For each batch size, milliseconds per step (2,000 steps after
 * 100 of warm-up) of the stepper's probabilities, [h / T, 1 / T] [W; b], softmax, read back:
 *
 *   untied      the shipped layout, [hidden + 1, vocab] (K = 257), float32 and bfloat16 operands;
 *   columns     the same on bfloat16 operands in `LstmBatchStepper`'s `columns` layout (the kernel
 *               transposed and padded to a depth of 288, multiplied first): fastest with AMX, slow
 *               without (`ONEDNN_MAX_CPU_ISA=AVX512_CORE_BF16` keeps oneDNN from AMX);
 *   factorized  z = h P first ([hidden, embedding]), then [z / T, 1 / T] [E^T; b] (K = 129): the
 *               product a model with tied input and output embeddings samples with (the shipped base).
 *
 * Also the read rate of one core over a tensor the size of the float32 kernel (`tf.sum`), the bound
 * on a batch-1 step that reads that kernel once.
 */
import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';

process.env.TF_NUM_INTRAOP_THREADS ??= '1';
process.env.TF_CPP_MIN_LOG_LEVEL ??= '2';
const [vocabArg = '12000', batchesArg = '1,16', dist = 'dist'] = process.argv.slice(2);
const load = (path) => import(pathToFileURL(resolve(dist, path)).href);
const { tf } = await load('model/lstm/tf.js');
const { nativeKernels: kernels } = await load('model/lstm/native-kernels.js');
if (!kernels) throw new Error('this needs the native TensorFlow backend (npm run setup)');

const [V, H, E, STEPS, WARM] = [Number(vocabArg), 256, 128, 2000, 100];
const kernel = tf.randomNormal([H + 1, V], 0, 0.05);
const projection = tf.randomNormal([H, E], 0, 0.05);
const tiedKernel = tf.randomNormal([E + 1, V], 0, 0.05);
const kernelBf16 = kernels.toBf16(kernel);
const PADDED = Math.ceil((H + 1) / 32) * 32;
const columnsKernel = kernels.toBf16(tf.transpose(tf.concat([kernel, tf.zeros([PADDED - H - 1, V])], 0)));
const tiedKernelBf16 = kernels.toBf16(tiedKernel);

function msPerStep(step) {
  for (let i = 0; i < WARM; i++) step();
  const started = performance.now();
  for (let i = 0; i < STEPS; i++) step();
  return (performance.now() - started) / STEPS;
}

/** softmax(product([x / T, 1 / T])), read back: the stepper's `probabilities`. */
const probabilities = (x, inverseT, product) => () => {
  const probs = tf.tidy(() => tf.softmax(product(tf.concat([tf.mul(x(), inverseT), inverseT], 1))));
  probs.dataSync();
  probs.dispose();
};

console.log(`output layer per sampling step, vocabulary ${V}, hidden ${H}, embedding ${E}, one thread`);
console.log('batch  untied f32  untied bf16  columns bf16  factorized f32  factorized bf16   (ms per step)');
for (const batch of batchesArg.split(',').map(Number)) {
  const h = tf.randomNormal([batch, H]);
  const inverseT = tf.fill([batch, 1], 1.25);
  const z = () => kernels.matMul(h, projection);
  const padding = tf.zeros([batch, PADDED - H - 1]);
  const columns = (a) => kernels.matMulBf16LargeFirst(columnsKernel, kernels.toBf16(tf.concat([a, padding], 1)));
  const rows = [
    probabilities(
      () => h,
      inverseT,
      (a) => kernels.matMul(a, kernel),
    ),
    probabilities(
      () => h,
      inverseT,
      (a) => kernels.matMulBf16(kernels.toBf16(a), kernelBf16),
    ),
    probabilities(() => h, inverseT, columns),
    probabilities(z, inverseT, (a) => kernels.matMul(a, tiedKernel)),
    probabilities(z, inverseT, (a) => kernels.matMulBf16(kernels.toBf16(a), tiedKernelBf16)),
  ].map((step) => msPerStep(step).toFixed(3));
  console.log(
    `${String(batch).padStart(5)}  ${rows.map((cell, i) => cell.padStart([10, 11, 12, 14, 15][i])).join('  ')}`,
  );
  tf.dispose([h, inverseT, padding]);
}

const sumMs = msPerStep(() => tf.sum(kernel).dispose());
const megabytes = ((H + 1) * V * 4) / 1e6;
console.log(
  `read rate: tf.sum over ${megabytes.toFixed(1)} MB in ${sumMs.toFixed(3)} ms = ${(megabytes / sumMs).toFixed(1)} GB/s`,
);
