/**
 * TensorFlow kernels that tfjs does not expose, run by name on the native (tfjs-node) backend: the
 * gradient of the fused LSTM cell, a scatter that turns softmax rows into their gradient, a plain
 * 2-D `MatMul` (tfjs's own `matMul` reshapes to 3-D and runs `BatchMatMulV2`), and resource
 * variables with TensorFlow's fused Adam update (`ResourceApplyAdam`: one kernel per weight tensor
 * instead of a dozen element-wise passes). `undefined` on the JavaScript backend (training then
 * takes the composed-ops path).
 */
import { createRequire } from 'node:module';
import type { Tensor, Tensor1D, Tensor2D } from '@tensorflow/tfjs';
import { zeroPeephole } from './lstm-block-cell.js';
import { onednnOff } from './output-precision.js';
import { tf, tfLoad } from './tf.js';

interface NativeBackend {
  binding: {
    TF_ATTR_BOOL: number;
    TF_ATTR_STRING: number;
    TF_ATTR_TYPE: number;
    TF_ATTR_SHAPE: number;
    TF_FLOAT: number;
    executeOp(name: string, attrs: unknown[], inputIds: number[], numOutputs: number): TensorInfo[];
    deleteTensor(id: number): void;
  };
  getInputTensorIds(tensors: Tensor[]): number[];
  createOutputTensor(info: TensorInfo): Tensor;
  executeSingleOutput(name: string, attrs: unknown[], inputs: Tensor[]): Tensor;
  executeMultipleOutputs(name: string, attrs: unknown[], inputs: Tensor[], numOutputs: number): Tensor[];
}

/** What the binding returns for an op's output: a TensorFlow handle's id, shape and TF_DataType. */
interface TensorInfo {
  id: number;
  shape: number[];
  dtype: number;
}

/** TensorFlow's `TF_BFLOAT16` (tfjs has no bfloat16 dtype). */
const TF_BFLOAT16 = 14;

/**
 * A [m, k] matrix held by TensorFlow as bfloat16. To tfjs it is a float32 tensor whose data must never
 * be read from JavaScript; it is tracked, kept and disposed like any other tensor (`tf.tidy` frees it).
 */
export type Bf16Tensor2D = Tensor2D & { readonly bfloat16: true };

type TypeAttr = (name: string, dtype: 'float32' | 'int32') => unknown;

export interface NativeKernels {
  /** a [m, k] times b [k, n] (either one transposed first), as one `MatMul` kernel call. */
  matMul(a: Tensor2D, b: Tensor2D, transposeA?: boolean, transposeB?: boolean): Tensor2D;
  /** `t` rounded to bfloat16, for `matMulBf16` (cast once, multiplied several times). */
  toBf16(t: Tensor2D): Bf16Tensor2D;
  /**
   * `matMul` on bfloat16 operands (float32 accumulation inside oneDNN, the product rounded to
   * bfloat16, then returned as float32): the mixed precision of training's output layer, about 1.7 x
   * the float32 kernel's speed on a CPU with AVX512-BF16.
   */
  matMulBf16(a: Bf16Tensor2D, b: Bf16Tensor2D, transposeA?: boolean, transposeB?: boolean): Tensor2D;
  /**
   * `x` [m, k] times `kernelT` [n, k] transposed, computed as (kernelT x^T)^T on bfloat16 operands (the
   * transpose taken of the bfloat16 product, before it is returned as float32): the same product as
   * `matMulBf16(x, kernelT, false, true)`, with the large operand first, the order in which oneDNN's
   * AMX kernel multiplies fastest (see `LstmBatchStepper`'s output layout).
   */
  matMulBf16LargeFirst(kernelT: Bf16Tensor2D, x: Bf16Tensor2D): Tensor2D;
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
  /**
   * softmax over each row of `logits`, by oneDNN's kernel where this TensorFlow has it (`_MklSoftmax`,
   * registered under the `MklNameChangeOp` label that graph rewriting uses; eager code never reaches it
   * by itself): about twice as fast as TensorFlow's `Softmax` (Eigen, built without AVX2), the same
   * values to about 1e-6 relative. TensorFlow's own where `softmaxKernel` says so.
   */
  softmax(logits: Tensor2D): Tensor2D;
  /**
   * Which kernel `softmax` runs, settled once when this module loads: `onednn` when a 1 x 2 softmax by
   * `_MklSoftmax` worked, `tensorflow` when it did not or `TF_ENABLE_ONEDNN_OPTS=0` keeps TensorFlow
   * from oneDNN (then `onednnSoftmaxError` says why, if it failed).
   */
  readonly softmaxKernel: 'onednn' | 'tensorflow';
  readonly onednnSoftmaxError?: string;
  /** A copy of `t` [rows, cols] with 1 subtracted at (row, columns[row]) for every row (`TensorScatterSub`). */
  subtractOneAt(t: Tensor2D, columns: Int32Array): Tensor2D;
  /** sum(t^2) / 2 of a float32 tensor, as one kernel (`L2Loss`): a scalar. */
  l2Loss(t: Tensor): Tensor;
  /**
   * A new resource variable holding a copy of `value` (the handle is a tfjs string tensor; disposing
   * it frees the variable). TensorFlow updates a variable in place only while no tensor read from
   * it is alive, so read, use, dispose, then update.
   */
  createVariable(value: Tensor): Tensor;
  /** The variable's current value (shares its buffer until the next update). */
  readVariable(handle: Tensor): Tensor;
  /**
   * One Adam step in place: m = b1 m + (1 - b1) g; v = b2 v + (1 - b2) g^2;
   * variable -= lr sqrt(1 - b2^t) / (1 - b1^t) * m / (sqrt(v) + epsilon).
   */
  applyAdam(variable: Tensor, m: Tensor, v: Tensor, grad: Tensor, hyper: AdamStepScalars): void;
}

/** The scalars of one `ResourceApplyAdam` call (beta powers are beta^t at step t). */
export interface AdamStepScalars {
  beta1Power: number;
  beta2Power: number;
  learningRate: number;
  beta1: number;
  beta2: number;
  epsilon: number;
}

/** The shared name TensorFlow reserves for anonymous variables, owned by (and freed with) their handle. */
const ANONYMOUS_VARIABLE = 'cd2c89b7-88b7-44c8-ad83-06c2a9158347';

// eslint-disable-next-line max-lines-per-function -- numerical kernels: the table of native TensorFlow ops, each a few lines over the op attributes built once at its top
function loadNativeKernels(): NativeKernels {
  const require = createRequire(import.meta.url);
  const { createTensorsTypeOpAttr: typeAttr } = require('@tensorflow/tfjs-node/dist/nodejs_kernel_backend.js') as {
    createTensorsTypeOpAttr: TypeAttr;
  };
  const backend = tf.backend() as unknown as NativeBackend;
  const bool = (name: string, value: boolean) => ({ name, type: backend.binding.TF_ATTR_BOOL, value });
  const gradAttrs = [bool('use_peephole', false), typeAttr('T', 'float32')];
  const floatAttrs = [typeAttr('T', 'float32')];
  const floatDtype = { name: 'dtype', type: backend.binding.TF_ATTR_TYPE, value: backend.binding.TF_FLOAT };
  const scatterAttrs = [typeAttr('T', 'float32'), typeAttr('Tindices', 'int32')];
  const adamAttrs = [typeAttr('T', 'float32'), bool('use_locking', false), bool('use_nesterov', false)];
  const matMulAttrs = [false, true].map((a) =>
    [false, true].map((b) => [typeAttr('T', 'float32'), bool('transpose_a', a), bool('transpose_b', b)]),
  );
  const type = (name: string, value: number) => ({ name, type: backend.binding.TF_ATTR_TYPE, value });
  const castAttrs = (from: number, to: number) => [type('SrcT', from), type('DstT', to), bool('Truncate', false)];
  const toBf16Attrs = castAttrs(backend.binding.TF_FLOAT, TF_BFLOAT16);
  const fromBf16Attrs = castAttrs(TF_BFLOAT16, backend.binding.TF_FLOAT);
  const bf16MatMulAttrs = [false, true].map((a) =>
    [false, true].map((b) => [type('T', TF_BFLOAT16), bool('transpose_a', a), bool('transpose_b', b)]),
  );
  const transposeAttrs = [type('T', TF_BFLOAT16), typeAttr('Tperm', 'int32')];
  let swapAxes: Tensor | undefined;
  const { binding } = backend;
  const onednnSoftmaxAttrs = [
    ...floatAttrs,
    { name: '_kernel', type: binding.TF_ATTR_STRING, value: 'MklNameChangeOp' },
  ];
  const onednnSoftmax = (logits: Tensor2D) =>
    backend.executeSingleOutput('_MklSoftmax', onednnSoftmaxAttrs, [logits]) as Tensor2D;
  const probe = probeOnednnSoftmax(onednnSoftmax);

  return {
    matMul(a, b, transposeA = false, transposeB = false) {
      const attrs = matMulAttrs[Number(transposeA)]![Number(transposeB)]!;
      return backend.executeSingleOutput('MatMul', attrs, [a, b]) as Tensor2D;
    },
    toBf16(t) {
      const [info] = binding.executeOp('Cast', toBf16Attrs, backend.getInputTensorIds([t]), 1);
      return backend.createOutputTensor({ ...info!, dtype: backend.binding.TF_FLOAT }) as Bf16Tensor2D;
    },
    matMulBf16(a, b, transposeA = false, transposeB = false) {
      const attrs = bf16MatMulAttrs[Number(transposeA)]![Number(transposeB)]!;
      const [product] = binding.executeOp('MatMul', attrs, backend.getInputTensorIds([a, b]), 1);
      try {
        const [info] = binding.executeOp('Cast', fromBf16Attrs, [product!.id], 1);
        return backend.createOutputTensor(info!) as Tensor2D;
      } finally {
        binding.deleteTensor(product!.id);
      }
    },
    matMulBf16LargeFirst(kernelT, x) {
      const attrs = bf16MatMulAttrs[0]![1]!;
      const [product] = binding.executeOp('MatMul', attrs, backend.getInputTensorIds([kernelT, x]), 1);
      const [m, n] = [x.shape[0], kernelT.shape[0]];
      let rows = product!;
      try {
        swapAxes ??= tf.keep(tf.tensor1d([1, 0], 'int32'));
        // [n, m] to [m, n]: a transpose of bfloat16 values, half the bytes of float32 ones (none for one row).
        if (m > 1)
          [rows] = binding.executeOp(
            'Transpose',
            transposeAttrs,
            [product!.id, ...backend.getInputTensorIds([swapAxes])],
            1,
          ) as [TensorInfo];
        const [info] = binding.executeOp('Cast', fromBf16Attrs, [rows.id], 1);
        const result = backend.createOutputTensor(info!) as Tensor2D;
        if (m > 1) return result;
        const row = tf.reshape(result, [1, n]) as Tensor2D;
        result.dispose();
        return row;
      } finally {
        binding.deleteTensor(product!.id);
        if (rows !== product) binding.deleteTensor(rows.id);
      }
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
    softmax: probe.kernel === 'onednn' ? onednnSoftmax : (logits) => tf.softmax(logits) as Tensor2D,
    softmaxKernel: probe.kernel,
    ...(probe.error !== undefined && { onednnSoftmaxError: probe.error }),
    subtractOneAt(t, columns) {
      const rows = t.shape[0];
      const at = new Int32Array(rows * 2);
      for (let row = 0; row < rows; row++) {
        at[2 * row] = row;
        at[2 * row + 1] = columns[row]!;
      }
      const indices = tf.tensor2d(at, [rows, 2], 'int32');
      const ones = tf.ones([rows]);
      const result = backend.executeSingleOutput('TensorScatterSub', scatterAttrs, [t, indices, ones]) as Tensor2D;
      tf.dispose([indices, ones]);
      return result;
    },
    l2Loss(t) {
      return backend.executeSingleOutput('L2Loss', floatAttrs, [t]);
    },
    createVariable(value) {
      const handle = backend.executeSingleOutput(
        'VarHandleOp',
        [
          { name: 'container', type: backend.binding.TF_ATTR_STRING, value: '' },
          { name: 'shared_name', type: backend.binding.TF_ATTR_STRING, value: ANONYMOUS_VARIABLE },
          floatDtype,
          { name: 'shape', type: backend.binding.TF_ATTR_SHAPE, value: value.shape },
        ],
        [],
      );
      // TensorFlow copies on write: updating the variable never changes `value`.
      backend.executeMultipleOutputs('AssignVariableOp', [floatDtype], [handle, value], 0);
      return handle;
    },
    readVariable(handle) {
      return backend.executeSingleOutput('ReadVariableOp', [floatDtype], [handle]);
    },
    applyAdam(variable, m, v, grad, h) {
      const scalars = [h.beta1Power, h.beta2Power, h.learningRate, h.beta1, h.beta2, h.epsilon].map((x) =>
        tf.scalar(x),
      );
      backend.executeMultipleOutputs('ResourceApplyAdam', adamAttrs, [variable, m, v, ...scalars, grad], 0);
      for (const scalar of scalars) scalar.dispose();
    },
  };
}

/** Whether `_MklSoftmax` runs here (see `NativeKernels.softmaxKernel`), and why not when it failed. */
function probeOnednnSoftmax(softmax: (logits: Tensor2D) => Tensor2D): {
  kernel: 'onednn' | 'tensorflow';
  error?: string;
} {
  if (onednnOff()) return { kernel: 'tensorflow' };
  try {
    tf.tidy(() => {
      softmax(tf.tensor2d([[0, 1]]));
    });
    return { kernel: 'onednn' };
  } catch (error) {
    return { kernel: 'tensorflow', error: error instanceof Error ? error.message.split('\n')[0]! : String(error) };
  }
}

export const nativeKernels: NativeKernels | undefined = tfLoad.native ? loadNativeKernels() : undefined;
