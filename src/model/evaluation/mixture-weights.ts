/**
 * Linear interpolation of language models token by token (Jelinek and Mercer 1980):
 *
 *   P(w) = sum_m weight_m P_m(w),  weights >= 0 summing to 1
 *
 * given each model's probability of the same scored targets, and the weights that minimise the
 * cross-entropy on a validation stream, searched on a grid (a handful of weights: a grid is exact
 * enough and cannot fail to converge).
 */

/** Mean -ln P of the mixture over the targets; `probabilities[m][i]` is model m's P of target i. */
export function mixtureCrossEntropy(probabilities: readonly Float64Array[], weights: readonly number[]): number {
  const n = probabilities[0]!.length;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    let p = 0;
    for (let m = 0; m < probabilities.length; m++) p += weights[m]! * probabilities[m]![i]!;
    sum -= Math.log(Math.max(p, 1e-30));
  }
  return sum / n;
}

/** The weight λ of the first model in λ P_0 + (1 - λ) P_1 that fits the targets best, on a grid of `step`. */
export function bestTwoModelWeight(first: Float64Array, second: Float64Array, step = 0.01): number {
  let best = { weight: 1, loss: Infinity };
  for (let k = 0; k * step <= 1 + 1e-9; k++) {
    const weight = Math.min(1, k * step);
    const loss = mixtureCrossEntropy([first, second], [weight, 1 - weight]);
    if (loss < best.loss) best = { weight, loss };
  }
  return best.weight;
}

/**
 * Weights of three models (the LSTM, the n-gram, a cache) that fit the targets best: the third's
 * weight from `thirdWeights`, the first's on a grid of `step` in what is left, the second the rest.
 */
export function bestThreeModelWeights(
  probabilities: readonly [Float64Array, Float64Array, Float64Array],
  thirdWeights: readonly number[],
  step = 0.01,
): { weights: [number, number, number]; loss: number } {
  let best = { weights: [1, 0, 0] as [number, number, number], loss: Infinity };
  for (const third of thirdWeights) {
    for (let k = 0; k * step <= 1 - third + 1e-9; k++) {
      const first = Math.min(1 - third, k * step);
      const weights: [number, number, number] = [first, 1 - third - first, third];
      const loss = mixtureCrossEntropy(probabilities, weights);
      if (loss < best.loss) best = { weights, loss };
    }
  }
  return best;
}
