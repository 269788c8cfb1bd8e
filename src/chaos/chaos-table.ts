import { EXPERIMENT_DESCRIPTIONS } from './chaos-experiments.js';
import type { ExperimentResult } from './run-experiment.js';

const HEADER = [
  'experiment',
  'run',
  'requests',
  'accepted',
  'rejected',
  'once',
  'twice',
  'never',
  'apology',
  'unavailable',
  'other',
  'answered and apologised',
  'rejected but answered',
  'ack p99 ms',
  'acks over 3 s',
  'slowest answer s',
];

/** The results as a markdown table, one row per experiment and run. */
export function chaosTable(rows: readonly { run: number; result: ExperimentResult }[]): string {
  const lines = [HEADER, HEADER.map(() => '---')].map(cells);
  for (const { run, result } of rows) {
    const c = result.counts;
    lines.push(
      cells([
        EXPERIMENT_DESCRIPTIONS[result.experiment],
        String(run),
        ...[c.requests, c.accepted, c.rejected, c.once, c.twice, c.never, c.apology, c.unavailable, c.other].map(
          String,
        ),
        String(c.answeredAndApologised),
        String(c.rejectedButAnswered),
        String(c.ackP99Ms),
        String(c.acksOver3s),
        String(c.answerMaxS),
      ]),
    );
  }
  return lines.join('\n');
}

function cells(values: readonly string[]): string {
  return `| ${values.join(' | ')} |`;
}
