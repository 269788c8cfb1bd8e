/**
 * One LSTM step, on TensorFlow's fused `LSTMBlockCell` kernel when the native backend is loaded
 * (one kernel call instead of a dozen), or on composed ops with the JavaScript backend.
 *
 * Parameter layout, shared by training, sampling and the model store:
 *   kernel [inputSize + hiddenSize, 4 * hiddenSize], bias [4 * hiddenSize],
 *   gate order (i, ci, f, o): input gate, cell input, forget gate, output gate.
 * A forget bias of 0 is passed to the kernel: any forget-gate bias lives in `bias`.
 */
import { createRequire } from 'node:module';
import type { Tensor, Tensor2D, Tensor1D, Tensor3D } from '@tensorflow/tfjs';
import { tf, tfLoad } from './tf.js';

export interface LstmLayerParams {
  kernel: Tensor2D;
  bias: Tensor1D;
}

export interface LstmStepOutput {
  /** The seven outputs of `LSTMBlockCell`: i, cs, f, o, ci, co, h (all [batch, hidden]). */
  readonly outputs: Tensor[];
  readonly c: Tensor2D;
  readonly h: Tensor2D;
}

interface NativeBackend {
  binding: { TF_ATTR_FLOAT: number; TF_ATTR_BOOL: number; TF_ATTR_TYPE: number; TF_INT32: number; TF_INT64: number };
  executeMultipleOutputs(name: string, attrs: unknown[], inputs: Tensor[], numOutputs: number): Tensor[];
  executeSingleOutput(name: string, attrs: unknown[], inputs: Tensor[]): Tensor;
}

type TypeAttr = (name: string, dtype: 'float32') => unknown;

const native = tfLoad.native ? loadNative() : undefined;

function loadNative(): { backend: NativeBackend; typeAttr: TypeAttr } {
  const require = createRequire(import.meta.url);
  const { createTensorsTypeOpAttr } = require('@tensorflow/tfjs-node/dist/nodejs_kernel_backend.js') as {
    createTensorsTypeOpAttr: TypeAttr;
  };
  return { backend: tf.backend() as unknown as NativeBackend, typeAttr: createTensorsTypeOpAttr };
}

/** True when steps run on the fused kernel (and its gradient `LSTMBlockCellGrad` is available). */
export const fusedLstmAvailable = native !== undefined;

/**
 * x [batch, input], c and h [batch, hidden]. Returns the new c and h (and, for the gradient, all seven
 * kernel outputs). The caller owns every returned tensor.
 */
export function lstmStep(x: Tensor2D, c: Tensor2D, h: Tensor2D, layer: LstmLayerParams): LstmStepOutput {
  if (native) {
    const { backend } = native;
    const peephole = zeroPeephole(h.shape[1]);
    const outputs = backend.executeMultipleOutputs(
      'LSTMBlockCell',
      cellAttrs(native),
      [x, c, h, layer.kernel, peephole, peephole, peephole, layer.bias],
      7,
    );
    return { outputs, c: outputs[1] as Tensor2D, h: outputs[6] as Tensor2D };
  }
  return tf.tidy(() => {
    const gates = tf.add(tf.matMul(tf.concat([x, h], 1), layer.kernel), layer.bias);
    const [i, ci, f, o] = tf.split(gates, 4, 1) as [Tensor2D, Tensor2D, Tensor2D, Tensor2D];
    const newC = tf.add(tf.mul(tf.sigmoid(f), c), tf.mul(tf.sigmoid(i), tf.tanh(ci))) as Tensor2D;
    const newH = tf.mul(tf.sigmoid(o), tf.tanh(newC)) as Tensor2D;
    return { outputs: [], c: newC, h: newH };
  });
}

/** The fused kernels' attributes: no forget bias of their own, no clipping, no peepholes, float32. */
function cellAttrs({ backend, typeAttr }: { backend: NativeBackend; typeAttr: TypeAttr }): unknown[] {
  return [
    { name: 'forget_bias', type: backend.binding.TF_ATTR_FLOAT, value: 0 },
    { name: 'cell_clip', type: backend.binding.TF_ATTR_FLOAT, value: -1 },
    { name: 'use_peephole', type: backend.binding.TF_ATTR_BOOL, value: false },
    typeAttr('T', 'float32'),
  ];
}

/**
 * A layer over whole sequences in one call of TensorFlow's fused `BlockLSTM` kernel (the native backend
 * only: see `fusedLstmAvailable`): x [time, batch, input] from zero state; returns c and h at every
 * step, [time, batch, hidden] each (the caller owns them). The same steps as `lstmStep` in a loop,
 * without a kernel call from JavaScript per step: priming 260 ids took 5.6 ms instead of 13-14 at
 * batch 1, and 22 ms instead of 29-32 at batch 16 (one thread, 2026-12-07).
 */
export function lstmSequence(x: Tensor3D, layer: LstmLayerParams): { c: Tensor3D; h: Tensor3D } {
  if (!native) throw new Error('lstmSequence needs the native backend');
  const [time, batch] = x.shape;
  const hidden = layer.bias.shape[0] / 4;
  const peephole = zeroPeephole(hidden);
  const zero = tf.zeros([batch, hidden]);
  const seqLen = int64Scalar(native.backend, time);
  const outputs = native.backend.executeMultipleOutputs(
    'BlockLSTM',
    cellAttrs(native),
    [seqLen, x, zero, zero, layer.kernel, peephole, peephole, peephole, layer.bias],
    7,
  );
  seqLen.dispose();
  zero.dispose();
  const [i, cs, f, o, ci, co, h] = outputs as Tensor3D[];
  for (const unused of [i, f, o, ci, co]) unused!.dispose();
  return { c: cs!, h: h! };
}

/**
 * `value` as an int64 scalar (`BlockLSTM`'s sequence length; the caller disposes it). tfjs has no int64
 * tensors, so TensorFlow casts it from int32; tfjs-node warns on the console for every int64 tensor it
 * gets back, a warning that says nothing here and is kept quiet for this one call.
 */
function int64Scalar(backend: NativeBackend, value: number): Tensor {
  const { binding } = backend;
  const attrs = [
    { name: 'SrcT', type: binding.TF_ATTR_TYPE, value: binding.TF_INT32 },
    { name: 'DstT', type: binding.TF_ATTR_TYPE, value: binding.TF_INT64 },
    { name: 'Truncate', type: binding.TF_ATTR_BOOL, value: false },
  ];
  const int32 = tf.scalar(value, 'int32');
  const warn = console.warn;
  console.warn = () => {};
  try {
    return backend.executeSingleOutput('Cast', attrs, [int32]);
  } finally {
    console.warn = warn;
    int32.dispose();
  }
}

const zeros = new Map<number, Tensor1D>();
/** Zero peephole weights, one kept tensor per hidden size (never disposed: a few KB). */
export function zeroPeephole(hidden: number): Tensor1D {
  let z = zeros.get(hidden);
  if (!z) {
    z = tf.keep(tf.zeros([hidden]) as Tensor1D);
    zeros.set(hidden, z);
  }
  return z;
}
