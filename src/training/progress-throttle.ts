import type { TrainingProgress } from './training-progress.js';

/**
 * Passes a training's progress on to `post` at most once per `intervalMs`, except that a new stage
 * always goes through; `post` also gets the training losses seen so far (for the sparkline).
 */
export function throttleProgress(
  intervalMs: number,
  post: (progress: TrainingProgress, losses: readonly number[]) => void,
  now: () => number = Date.now,
): (progress: TrainingProgress) => void {
  const losses: number[] = [];
  let lastStage: string | undefined;
  let lastPostedAt = 0;
  return (progress) => {
    if (progress.stage === 'training') losses.push(progress.loss);
    const at = now();
    if (progress.stage === lastStage && at - lastPostedAt < intervalMs) return;
    lastStage = progress.stage;
    lastPostedAt = at;
    post(progress, losses);
  };
}
