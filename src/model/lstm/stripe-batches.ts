import type { TrainBatch } from './train-batch.js';

/**
 * Cuts a contiguous token stream into `batchSize` parallel stripes and walks them `seqLength` tokens
 * at a time: batch k, row r holds tokens [k * seqLength, (k + 1) * seqLength) of stripe r, so that row r
 * of batch k + 1 continues row r of batch k and the LSTM state can be carried across batches
 * (truncated back-propagation through time).
 */
export class StripeBatches {
  readonly count: number;
  readonly stripeLength: number;

  constructor(
    private readonly stream: Int32Array,
    readonly batchSize: number,
    readonly seqLength: number,
  ) {
    this.stripeLength = Math.floor(stream.length / batchSize);
    this.count = Math.max(0, Math.floor((this.stripeLength - 1) / seqLength));
  }

  /** Stripes that fit a stream: fewer rows, then shorter sequences, when the stream is short. */
  static fit(stream: Int32Array, batchSize: number, seqLength: number): StripeBatches {
    const rows = Math.max(1, Math.min(batchSize, Math.floor(stream.length / (seqLength + 1))));
    const length = Math.max(1, Math.min(seqLength, Math.floor(stream.length / rows) - 1));
    return new StripeBatches(stream, rows, length);
  }

  /** Tokens predicted per epoch (inputs of all batches). */
  get tokens(): number {
    return this.count * this.batchSize * this.seqLength;
  }

  batch(index: number): TrainBatch {
    return this.#batchAt(index * this.seqLength, this.seqLength);
  }

  /**
   * What the whole batches leave of each stripe, as one shorter batch: inputs from offset count * T to
   * the stripe's second-to-last token, so that with it every token of a stripe but its first is a
   * target (`count * T + tail.seqLength` is `stripeLength - 1`). For an evaluation, which should score
   * all it can; training never reads it. Undefined when the whole batches leave nothing.
   */
  tail(): TrainBatch | undefined {
    const length = this.stripeLength - 1 - this.count * this.seqLength;
    return length > 0 ? this.#batchAt(this.count * this.seqLength, length) : undefined;
  }

  /** Row `row` of the batch holds stripe `row`'s tokens from `offset` on, `length` of them (and their targets). */
  #batchAt(offset: number, length: number): TrainBatch {
    const { batchSize: B, stripeLength: S, stream } = this;
    const inputs = new Int32Array(B * length);
    const targets = new Int32Array(B * length);
    for (let row = 0; row < B; row++) {
      const start = row * S + offset;
      for (let t = 0; t < length; t++) {
        inputs[t * B + row] = stream[start + t]!;
        targets[t * B + row] = stream[start + t + 1]!;
      }
    }
    return { inputs, targets, batchSize: B, seqLength: length };
  }
}
