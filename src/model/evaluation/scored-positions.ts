import { StripeBatches } from '../lstm/stripe-batches.js';

/**
 * The positions of `stream` whose token `evaluateModel` predicts with the same batch size and
 * sequence length, in ascending order: every stripe's tokens but its first (`StripeBatches.fit`, its
 * whole batches and then its `tail`), so that another model (a Kneser-Ney baseline) is scored on exactly
 * the same tokens. Left out: position 0, each later stripe's first token and the fewer than `batchSize`
 * tokens after the last stripe.
 */
export function scoredPositions(stream: Int32Array, batchSize: number, seqLength: number): Int32Array {
  const batches = StripeBatches.fit(stream, batchSize, seqLength);
  const perStripe = batches.stripeLength - 1;
  const positions = new Int32Array(batches.batchSize * perStripe);
  let n = 0;
  for (let row = 0; row < batches.batchSize; row++) {
    for (let k = 1; k <= perStripe; k++) positions[n++] = row * batches.stripeLength + k;
  }
  return positions;
}
