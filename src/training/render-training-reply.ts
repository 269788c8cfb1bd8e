import { renderReply } from '../replies/reply-catalogue.js';
import type { TrainingProgress, TrainingSummary } from './training-progress.js';

const BARS = '▁▂▃▄▅▆▇█';

/** A tiny sparkline of the last losses (high bar: high loss). */
export function sparkline(values: readonly number[], width = 12): string {
  const recent = values.slice(-width);
  if (recent.length === 0) return '';
  const min = Math.min(...recent);
  const span = Math.max(...recent) - min || 1;
  return recent.map((v) => BARS[Math.round(((v - min) / span) * (BARS.length - 1))]).join('');
}

export function formatDuration(ms: number): string {
  const s = Math.max(1, Math.round(ms / 1000));
  return s < 90 ? `${s} s` : `${Math.round(s / 60)} min`;
}

/** The status line for a progress report; `losses` are the training losses so far. */
export function renderTrainingProgress(progress: TrainingProgress, losses: readonly number[]): string {
  switch (progress.stage) {
    case 'collecting':
      return renderReply('retrain.collecting', { read: progress.read });
    case 'reading':
      return renderReply('retrain.reading', { done: progress.done, total: progress.total });
    case 'loading':
      return renderReply('retrain.loading');
    case 'resumed':
      return renderReply('retrain.resumed', {
        epochs: Math.round(progress.epochs * 100) / 100,
        tokensSeen: progress.tokensSeen,
      });
    case 'training':
      return renderReply('retrain.training', {
        epoch: progress.epoch,
        epochs: progress.epochs,
        batch: progress.batch,
        batches: progress.batches,
        loss: progress.loss.toFixed(2),
        sparkline: sparkline(losses),
        eta: formatDuration(progress.etaMs),
      });
    case 'evaluating':
      return renderReply('retrain.evaluating');
    case 'publishing':
      return renderReply('retrain.publishing');
  }
}

export function renderTrainingSummary(s: TrainingSummary): string {
  const before = s.perplexityBase.toFixed(1);
  const after = s.perplexityFineTuned.toFixed(1);
  const seconds = Math.round(s.seconds);
  const resumed = s.resumedFrom !== undefined;
  return s.published
    ? renderReply('retrain.published', {
        messages: s.messagesUsed,
        words: s.wordsAdded,
        sample: s.sampleWords.join(', '),
        before,
        after,
        mixture: s.perplexityMixture?.toFixed(1),
        seconds,
        resumed,
      })
    : renderReply('retrain.notBetter', { messages: s.messagesUsed, before, after, seconds, resumed });
}
