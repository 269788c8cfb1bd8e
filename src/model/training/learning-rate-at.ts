/**
 * The learning rate at a point of a run (`progress` from 0 to 1): a linear warm-up from the floor
 * (`learningRate * finalLearningRateFactor`) to `learningRate` over the first `warmupFraction`, then a
 * decay back to the floor by the end, cosine or linear. A linear decay after a short warm-up is
 * ULMFiT's slanted triangular schedule (Howard and Ruder 2018); no warm-up and a cosine decay is the
 * schedule the base model was trained with.
 */
export interface LearningRateSchedule {
  learningRate: number;
  /** The rate at the start of the warm-up and at the end of the decay, as a share of `learningRate`. */
  finalLearningRateFactor: number;
  /** Share of the run spent warming up (0: none). */
  warmupFraction: number;
  decay: 'cosine' | 'linear';
}

export function learningRateAt(progress: number, s: LearningRateSchedule): number {
  const p = Math.min(1, Math.max(0, progress));
  const floor = s.finalLearningRateFactor;
  let share: number;
  if (s.warmupFraction > 0 && p < s.warmupFraction) {
    share = floor + (1 - floor) * (p / s.warmupFraction);
  } else {
    const q = s.warmupFraction < 1 ? (p - s.warmupFraction) / (1 - s.warmupFraction) : 1;
    const fall = s.decay === 'cosine' ? 0.5 * (1 + Math.cos(Math.PI * q)) : 1 - q;
    share = floor + (1 - floor) * fall;
  }
  return s.learningRate * share;
}
