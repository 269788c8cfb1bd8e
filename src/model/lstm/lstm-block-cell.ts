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
import type { Tensor, Tensor2D, Tensor1D } from '@tensorflow/tfjs';
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
  binding: { TF_ATTR_FLOAT: number; TF_ATTR_BOOL: number };
  executeMultipleOutputs(name: string, attrs: unknown[], inputs: Tensor[], numOutputs: number): Tensor[];
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
    const { backend, typeAttr } = native;
    const hidden = h.shape[1];
    const peephole = zeroPeephole(hidden);
    const attrs = [
      { name: 'forget_bias', type: backend.binding.TF_ATTR_FLOAT, value: 0 },
      { name: 'cell_clip', type: backend.binding.TF_ATTR_FLOAT, value: -1 },
      { name: 'use_peephole', type: backend.binding.TF_ATTR_BOOL, value: false },
      typeAttr('T', 'float32'),
    ];
    const outputs = backend.executeMultipleOutputs(
      'LSTMBlockCell',
      attrs,
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
