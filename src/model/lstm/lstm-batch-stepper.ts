import type { Tensor, Tensor2D } from '@tensorflow/tfjs';
import { fusedLstmAvailable, lstmSequence, lstmStep } from './lstm-block-cell.js';
import type { LstmParams } from './lstm-params.js';
import { nativeKernels, type Bf16Tensor2D, type NativeKernels } from './native-kernels.js';
import { outputProducts, type OutputProducts } from './output-probabilities.js';
import { tf } from './tf.js';
import { outputFeatures, outputKernelOf } from './tied-output.js';
import {
  cpuFlags,
  defaultSamplePrecision,
  onednnIsaLimit,
  onednnOff,
  type OutputPrecision,
} from './output-precision.js';
import { samplingDeadUnits, withDeadUnits } from './dead-units.js';

/** The LSTM state of the live streams of one batch, one row per stream. Owned by the stepper. */
export interface LstmBatch {
  /** Cell and hidden state per layer, [size, hidden]. */
  c: Tensor2D[];
  h: Tensor2D[];
  /** 1 / temperature per row (1 for greedy rows), [size, 1]. */
  inverseTemperature: Tensor2D;
  /**
   * The output layer's operand after h / T: 1 / T, then zeros up to the kernel's depth in the `columns`
   * layout, [size, 1 + padding].
   */
  biasColumns: Tensor2D;
  inverseTemperatures: number[];
  size: number;
}

/**
 * How the stepper multiplies its output layer in mixed precision. `rows`: [h / T, 1 / T] times
 * [W; b] ([hidden + 1, vocab]). `columns`: the same product as ([W; b; 0]^T [h / T, 1 / T, 0]^T)^T,
 * the kernel stored transposed ([vocab, hidden + 1] padded with zero columns to a multiple of 32):
 * oneDNN's AMX kernel is fastest with the large operand first and a depth it tiles evenly, and gives
 * the same values (bit for bit where measured). On an AMX CPU at the shipped sizes that samples about
 * 10% more tokens per second at batch 1 and 4% more at batch 16 (docs/performance.md has
 * the runs); without AMX the `columns` product is about 2.3 x slower, so it is the default only on a
 * CPU with `amx_bf16` (and not when `ONEDNN_MAX_CPU_ISA` keeps oneDNN from AMX, or
 * `TF_ENABLE_ONEDNN_OPTS=0` keeps TensorFlow from oneDNN).
 */
export type OutputLayout = 'rows' | 'columns';

export function defaultOutputLayout(
  flags: ReadonlySet<string> = cpuFlags(),
  env: NodeJS.ProcessEnv = process.env,
): OutputLayout {
  const limit = onednnIsaLimit(env);
  const amx = flags.has('amx_bf16') && (!limit || limit.isa.includes('AMX'));
  return amx && !onednnOff(env) ? 'columns' : 'rows';
}

export interface StepperOptions {
  /** The output layer's precision (default: `defaultSamplePrecision()`). */
  precision?: OutputPrecision;
  /** Mixed precision only (float32 products always run in `rows`); default `defaultOutputLayout()`. */
  layout?: OutputLayout;
  /** Dead hidden units appended to each layer (`dead-units.ts`); default `samplingDeadUnits(hidden)`. */
  deadUnits?: number;
  /**
   * Prime each layer over whole sequences in one fused call (`lstmSequence`) rather than step by step;
   * default: where the native backend has the kernel (`fusedLstmAvailable`). The same states up to rounding.
   */
  primeBySequence?: boolean;
}

/** The depth oneDNN's AMX kernel tiles in one step for bfloat16 operands. */
const AMX_DEPTH = 32;

/**
 * Runs a batch of token streams through an LSTM language model, one token per stream per step.
 * A step is one fused LSTM cell call per layer, one matmul for the temperature-scaled logits of the
 * whole batch (bias folded in), one softmax, and ONE read-back of the probabilities [size, vocab]. Weights stay
 * resident; the embedding lookup happens in JavaScript on a copy of the embedding table.
 *
 * Prompts of different lengths are primed together: left-padded, with each row's state reset to
 * zero just before its first real token, so a row's result does not depend on its neighbours.
 * Token ids in `neverSampled` (`<pad>`, `<unk>`) get probability exactly 0.
 *
 * A tied model (`tied-output.ts`) is sampled in its factored form, [(h / T) P, 1 / T] times [E^T; b]:
 * a product of depth embedding + 1 instead of hidden + 1, half the bytes read per token at the shipped
 * sizes, for the same logits up to rounding.
 *
 * At hidden sizes that are multiples of 256 the stepper runs the model with four dead units per layer
 * (`dead-units.ts`): the same distributions up to rounding, and a fused cell about twice as fast at
 * batch 16 on one thread.
 */
export class LstmBatchStepper {
  readonly vocabSize: number;
  private readonly embeddingSize: number;
  /** The model as sampled (dead units included) and the tensors that made it (the stepper's own). */
  private readonly params: LstmParams;
  private readonly made: Tensor[];
  private readonly hiddenSize: number;
  private readonly embedding: Float32Array;
  /**
   * [depth + 1, vocab]: the output kernel (a tied model's E^T) with the output bias as its last row
   * (never-sampled ids at -1e30), as an operand of `products` (a bfloat16 copy in mixed precision).
   */
  private readonly outputKernelWithBias: Tensor2D;
  /** The output layer's product, float32 or mixed (undefined: tfjs's own `matMul`, the JavaScript backend). */
  private readonly products: OutputProducts | undefined;
  /** The product in the `columns` layout (mixed precision only), and the zero columns its operand ends with. */
  private readonly columns: NativeKernels | undefined;
  private readonly paddingColumns: number;
  private readonly primeBySequence: boolean;

  /** `model` stays the caller's; the stepper reads it until `dispose`. */
  constructor(model: LstmParams, neverSampled: readonly number[], options: StepperOptions = {}) {
    const { precision = defaultSamplePrecision(), layout = defaultOutputLayout() } = options;
    this.primeBySequence = (options.primeBySequence ?? fusedLstmAvailable) && fusedLstmAvailable;
    const sampled = withDeadUnits(model, options.deadUnits ?? samplingDeadUnits(model.config.hiddenSize));
    const params = sampled.params;
    this.params = params;
    this.made = sampled.made;
    const [vocabSize, embeddingSize] = params.embedding.shape;
    this.vocabSize = vocabSize;
    this.embeddingSize = embeddingSize;
    this.hiddenSize = params.config.hiddenSize;
    this.embedding = params.embedding.dataSync() as Float32Array;
    const bias = Float32Array.from(params.outputBias.dataSync());
    for (const id of neverSampled) bias[id] = NEVER;
    this.products = nativeKernels && outputProducts(nativeKernels, precision);
    const columns = nativeKernels && precision === 'mixed' && layout === 'columns' ? nativeKernels : undefined;
    const depth = (params.outputProjection ? embeddingSize : this.hiddenSize) + 1;
    this.paddingColumns = columns ? Math.ceil(depth / AMX_DEPTH) * AMX_DEPTH - depth : 0;
    this.columns = columns;
    this.outputKernelWithBias = tf.tidy(() => {
      const kernelWithBias = tf.concat([outputKernelOf(params), tf.tensor2d(bias, [1, vocabSize])], 0) as Tensor2D;
      if (columns) {
        const padded = tf.concat([kernelWithBias, tf.zeros([this.paddingColumns, vocabSize])], 0);
        return columns.toBf16(tf.transpose(padded) as Tensor2D);
      }
      return this.products ? this.products.operand(kernelWithBias) : kernelWithBias;
    });
  }

  /**
   * Feeds every prompt (token ids, each at least one) through the LSTM and returns the batch with
   * the next-token probabilities [prompts.length * vocab] at each row's temperature (0 = greedy,
   * computed at temperature 1).
   */
  start(
    prompts: readonly (readonly number[])[],
    temperatures: readonly number[],
    options: { hidden?: boolean } = {},
  ): { batch: LstmBatch; probs: Float32Array; hidden?: Float32Array[] } {
    if (prompts.length === 0 || prompts.length !== temperatures.length) {
      throw new RangeError('start needs one temperature per prompt and at least one prompt');
    }
    if (prompts.some((ids) => ids.length === 0)) throw new RangeError('every prompt needs at least one token id');
    const size = prompts.length;
    const inverseTemperatures = temperatures.map((t) => (t > 0 ? 1 / t : 1));
    const batch: LstmBatch = {
      c: this.params.layers.map(() => tf.zeros([size, this.hiddenSize]) as Tensor2D),
      h: this.params.layers.map(() => tf.zeros([size, this.hiddenSize]) as Tensor2D),
      inverseTemperature: tf.tensor2d(inverseTemperatures, [size, 1]),
      biasColumns: this.#biasColumns(inverseTemperatures),
      inverseTemperatures,
      size,
    };
    const width = this.hiddenWidth;
    // Row r's keys: the top hidden state that predicted each of its prompt's ids (zeros for the first).
    const hidden = options.hidden ? prompts.map((ids) => new Float32Array(ids.length * width)) : undefined;
    if (this.primeBySequence) this.#primeSequences(batch, prompts, hidden);
    else this.#primeStepByStep(batch, prompts, hidden);
    const probs = this.probabilities(batch);
    return hidden ? { batch, probs, hidden } : { batch, probs };
  }

  /**
   * `start`'s priming on the native backend: every row's ids through each layer in one `BlockLSTM` call
   * (`lstmSequence`), the rows right-padded from a zero state, each row's state read at its own last id;
   * the keys from the top layer's outputs in one read.
   */
  #primeSequences(batch: LstmBatch, prompts: readonly (readonly number[])[], hidden?: Float32Array[]): void {
    const size = prompts.length;
    const length = Math.max(...prompts.map((ids) => ids.length));
    const inputWidth = this.embeddingSize;
    const x = new Float32Array(length * size * inputWidth);
    prompts.forEach((ids, row) => ids.forEach((id, t) => x.set(this.#embeddingRow(id), (t * size + row) * inputWidth)));
    const last = tf.tensor1d(
      Int32Array.from(prompts, (ids, row) => (ids.length - 1) * size + row),
      'int32',
    );
    const width = this.hiddenSize;
    const [states, top] = tf.tidy(() => {
      let input = tf.tensor3d(x, [length, size, inputWidth]);
      const read: Tensor2D[] = [];
      for (const layer of this.params.layers) {
        const { c, h } = lstmSequence(input, layer);
        for (const sequence of [c, h])
          read.push(tf.gather(tf.reshape(sequence, [length * size, width]), last) as Tensor2D);
        input = h;
      }
      return [read, hidden ? input : undefined] as const;
    });
    last.dispose();
    for (const tensor of [...batch.c, ...batch.h]) tensor.dispose();
    batch.c = states.filter((_, i) => i % 2 === 0);
    batch.h = states.filter((_, i) => i % 2 === 1);
    if (!top) return;
    const values = top.dataSync() as Float32Array;
    top.dispose();
    // The state after a row's id t predicts its id t + 1.
    hidden!.forEach((keys, row) => {
      for (let t = 0; t + 1 < prompts[row]!.length; t++)
        keys.set(values.subarray((t * size + row) * width, (t * size + row + 1) * width), (t + 1) * width);
    });
  }

  /** `start`'s priming one step at a time (the JavaScript backend): rows left-padded, each reset at its first id. */
  #primeStepByStep(batch: LstmBatch, prompts: readonly (readonly number[])[], hidden?: Float32Array[]): void {
    const size = prompts.length;
    const length = Math.max(...prompts.map((ids) => ids.length));
    const starts = prompts.map((ids) => length - ids.length);
    const width = this.hiddenWidth;
    const tokens = new Int32Array(size);
    for (let t = 0; t < length; t++) {
      for (let row = 0; row < size; row++) tokens[row] = t < starts[row]! ? 0 : prompts[row]![t - starts[row]!]!;
      const reset = t > 0 && starts.includes(t) ? starts.map((start) => (start === t ? 0 : 1)) : undefined;
      this.advance(batch, tokens, reset);
      if (hidden && t < length - 1) {
        const top = this.topHidden(batch);
        hidden.forEach((keys, row) => {
          const predicted = t - starts[row]! + 1;
          if (predicted >= 1) keys.set(top.subarray(row * width, (row + 1) * width), predicted * width);
        });
      }
    }
  }

  /** Values per row of `topHidden` (the top layer's units, dead units included). */
  get hiddenWidth(): number {
    return this.hiddenSize;
  }

  /** The top layer's hidden state of each row, [size * hiddenWidth]: what predicts each row's next token. */
  topHidden(batch: LstmBatch): Float32Array {
    return this.topHiddenTensor(batch).dataSync() as Float32Array;
  }

  /** `topHidden` as the batch's own tensor [size, hiddenWidth] (valid until the next step; not to be disposed). */
  topHiddenTensor(batch: LstmBatch): Tensor2D {
    return batch.h[batch.h.length - 1]!;
  }

  /** Feeds one token per row and returns the next-token probabilities [size * vocab]. */
  step(batch: LstmBatch, tokens: ArrayLike<number>): Float32Array {
    if (tokens.length !== batch.size) throw new RangeError(`expected ${batch.size} tokens, got ${tokens.length}`);
    this.advance(batch, tokens);
    return this.probabilities(batch);
  }

  /** Keeps only the given rows (ascending), in that order: streams that finished leave the batch. */
  keepRows(batch: LstmBatch, rows: readonly number[]): void {
    if (rows.length === batch.size) return;
    const replace = (tensors: Tensor2D[]) =>
      tensors.map((tensor) => {
        const kept = tf.tidy(() => tf.gather(tensor, tf.tensor1d(Int32Array.from(rows), 'int32')) as Tensor2D);
        tensor.dispose();
        return kept;
      });
    batch.c = replace(batch.c);
    batch.h = replace(batch.h);
    batch.inverseTemperatures = rows.map((row) => batch.inverseTemperatures[row]!);
    batch.inverseTemperature.dispose();
    batch.inverseTemperature = tf.tensor2d(batch.inverseTemperatures, [rows.length, 1]);
    batch.biasColumns.dispose();
    batch.biasColumns = this.#biasColumns(batch.inverseTemperatures);
    batch.size = rows.length;
  }

  /** Frees the batch's state tensors. */
  release(batch: LstmBatch): void {
    for (const tensor of [...batch.c, ...batch.h, batch.inverseTemperature, batch.biasColumns]) tensor.dispose();
    batch.c = [];
    batch.h = [];
    batch.size = 0;
  }

  /** Frees the stepper's own tensors (not the model's parameters, which the caller owns). */
  dispose(): void {
    this.outputKernelWithBias.dispose();
    for (const tensor of this.made) tensor.dispose();
  }

  private advance(batch: LstmBatch, tokens: ArrayLike<number>, reset?: readonly number[]): void {
    const width = this.embeddingSize;
    const x = new Float32Array(batch.size * width);
    for (let row = 0; row < batch.size; row++) x.set(this.#embeddingRow(tokens[row]!), row * width);
    const next = tf.tidy(() => {
      let c = batch.c;
      let h = batch.h;
      if (reset) {
        const keep = tf.tensor2d(Float32Array.from(reset), [batch.size, 1]);
        c = c.map((state) => tf.mul(state, keep) as Tensor2D);
        h = h.map((state) => tf.mul(state, keep) as Tensor2D);
      }
      let input = tf.tensor2d(x, [batch.size, width]);
      const out: Tensor2D[] = [];
      this.params.layers.forEach((layer, l) => {
        const step = lstmStep(input, c[l]!, h[l]!, layer);
        out.push(step.c, step.h);
        input = step.h;
      });
      return out;
    });
    for (const tensor of [...batch.c, ...batch.h]) tensor.dispose();
    batch.c = next.filter((_, i) => i % 2 === 0);
    batch.h = next.filter((_, i) => i % 2 === 1);
  }

  /** The embedding of `id` (a view of the stepper's copy). */
  #embeddingRow(id: number): Float32Array {
    if (!(id >= 0 && id < this.vocabSize)) throw new RangeError(`token id ${id} is outside the vocabulary`);
    const width = this.embeddingSize;
    return this.embedding.subarray(id * width, (id + 1) * width);
  }

  /** [1 / T, 0, ..., 0] per row (`LstmBatch.biasColumns`). */
  #biasColumns(inverseTemperatures: readonly number[]): Tensor2D {
    const width = 1 + this.paddingColumns;
    const values = new Float32Array(inverseTemperatures.length * width);
    inverseTemperatures.forEach((inverse, row) => (values[row * width] = inverse));
    return tf.tensor2d(values, [inverseTemperatures.length, width]);
  }

  private probabilities(batch: LstmBatch): Float32Array {
    // (h W + b) / T as one matmul: [h / T, 1 / T] times [W; b]. Scaling the hidden state [size, hidden]
    // instead of the logits [size, vocab] saves two passes over the largest tensor of the step.
    const probs = tf.tidy(() => {
      const hTop = batch.h[batch.h.length - 1]!;
      const top = outputFeatures(this.params, hTop);
      const scaled = tf.concat([tf.mul(top, batch.inverseTemperature), batch.biasColumns], 1) as Tensor2D;
      const logits = this.#logits(scaled);
      return this.products ? this.products.softmax(logits) : tf.softmax(logits);
    });
    const values = probs.dataSync() as Float32Array;
    probs.dispose();
    return values;
  }

  /** `scaled` times the output kernel, in the stepper's precision and layout. */
  #logits(scaled: Tensor2D): Tensor2D {
    const kernel = this.outputKernelWithBias;
    if (this.columns) return this.columns.matMulBf16LargeFirst(kernel as Bf16Tensor2D, this.columns.toBf16(scaled));
    if (this.products) return this.products.matMul(this.products.operand(scaled), kernel);
    return tf.matMul(scaled, kernel);
  }
}

/** Logit bias of never-sampled tokens: finite (a matmul never meets 0 x Infinity), and exp() of it is 0. */
const NEVER = -1e30;
