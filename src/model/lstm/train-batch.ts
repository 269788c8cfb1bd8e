/**
 * One training batch: `batchSize` rows of `seqLength` token ids, stored TIME-MAJOR
 * (`inputs[t * batchSize + row]`), with the next token of each position in `targets`.
 */
export interface TrainBatch {
  inputs: Int32Array;
  targets: Int32Array;
  batchSize: number;
  seqLength: number;
}
