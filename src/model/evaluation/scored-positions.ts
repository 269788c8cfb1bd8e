import { StripeBatches } from '../lstm/stripe-batches.js';

/**
 * The positions of `stream` whose token `evaluateModel` predicts with the same batch size and
 * sequence length (the stripes of `StripeBatches.fit`: the tail that fills no whole batch is left
 * out), in ascending order: so that another model (a Kneser-Ney baseline) is scored on exactly the
 * same tokens.
 */
export function scoredPositions(stream: Int32Array, batchSize: number, seqLength: number): Int32Array {
  const batches = StripeBatches.fit(stream, batchSize, seqLength);
  const perStripe = batches.count * batches.seqLength;
  const positions = new Int32Array(batches.batchSize * perStripe);
  let n = 0;
  for (let row = 0; row < batches.batchSize; row++) {
    for (let k = 1; k <= perStripe; k++) positions[n++] = row * batches.stripeLength + k;
  }
  return positions;
}
