/**
 * TensorFlow kernels that tfjs does not expose, run by name on the native (tfjs-node) backend:
 * the fused softmax cross-entropy (loss and its gradient in one call) and the gradient of the fused
 * LSTM cell. `undefined` on the JavaScript backend (training then takes the composed-ops path).
 */
import { createRequire } from 'node:module';
import type { Tensor, Tensor1D, Tensor2D } from '@tensorflow/tfjs';
import { tf, tfLoad } from './tf.js';

interface NativeBackend {
  binding: { TF_ATTR_BOOL: number };
  executeMultipleOutputs(name: string, attrs: unknown[], inputs: Tensor[], numOutputs: number): Tensor[];
}

type TypeAttr = (name: string, dtype: 'float32' | 'int32') => unknown;

export interface NativeKernels {
  /** Per-row cross-entropy [rows] and its gradient with respect to the logits [rows, classes]. */
  sparseSoftmaxCrossEntropy(logits: Tensor2D, labels: Tensor1D): { loss: Tensor1D; dlogits: Tensor2D };
  /**
   * `LSTMBlockCellGrad` without peepholes. `cell` holds the seven outputs of the forward step
   * (i, cs, f, o, ci, co, h). Returns the gradient for the previous cell state and for the gate
   * pre-activations (`dicfo`, [batch, 4 * hidden], gate order i, ci, f, o).
   */
  lstmBlockCellGrad(
    x: Tensor2D,
    cPrev: Tensor2D,
    hPrev: Tensor2D,
    kernel: Tensor2D,
    bias: Tensor1D,
    cell: readonly Tensor[],
    cGrad: Tensor2D,
    hGrad: Tensor2D,
  ): { cPrevGrad: Tensor2D; dicfo: Tensor2D };
}

function loadNativeKernels(): NativeKernels {
  const require = createRequire(import.meta.url);
  const { createTensorsTypeOpAttr: typeAttr } = require('@tensorflow/tfjs-node/dist/nodejs_kernel_backend.js') as {
    createTensorsTypeOpAttr: TypeAttr;
  };
  const backend = tf.backend() as unknown as NativeBackend;
  const peepholes = new Map<number, Tensor1D>();
  const zeroPeephole = (hidden: number): Tensor1D => {
    let zeros = peepholes.get(hidden);
    if (!zeros) {
      zeros = tf.keep(tf.zeros([hidden]) as Tensor1D);
      peepholes.set(hidden, zeros);
    }
    return zeros;
  };
  const xentAttrs = [typeAttr('T', 'float32'), typeAttr('Tlabels', 'int32')];
  const gradAttrs = [
    { name: 'use_peephole', type: backend.binding.TF_ATTR_BOOL, value: false },
    typeAttr('T', 'float32'),
  ];

  return {
    sparseSoftmaxCrossEntropy(logits, labels) {
      const [loss, dlogits] = backend.executeMultipleOutputs(
        'SparseSoftmaxCrossEntropyWithLogits',
        xentAttrs,
        [logits, labels],
        2,
      );
      return { loss: loss as Tensor1D, dlogits: dlogits as Tensor2D };
    },
    lstmBlockCellGrad(x, cPrev, hPrev, kernel, bias, cell, cGrad, hGrad) {
      const [i, cs, f, o, ci, co] = cell as Tensor[];
      const zeros = zeroPeephole(hPrev.shape[1]);
      const outputs = backend.executeMultipleOutputs(
        'LSTMBlockCellGrad',
        gradAttrs,
        [x, cPrev, hPrev, kernel, zeros, zeros, zeros, bias, i!, cs!, f!, o!, ci!, co!, cGrad, hGrad],
        5,
      );
      for (const peepholeGrad of outputs.slice(2)) peepholeGrad.dispose();
      return { cPrevGrad: outputs[0] as Tensor2D, dicfo: outputs[1] as Tensor2D };
    },
  };
}

export const nativeKernels: NativeKernels | undefined = tfLoad.native ? loadNativeKernels() : undefined;
