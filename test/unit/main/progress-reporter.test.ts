import { describe, expect, it } from 'vitest';
import { ProgressReporter, type ProgressStream } from '../../../src/main/progress-reporter.js';

function fakeStream(isTTY: boolean): ProgressStream & { text: string } {
  const stream = {
    text: '',
    isTTY,
    columns: 100,
    write(chunk: string) {
      stream.text += chunk;
      return true;
    },
  };
  return stream;
}

describe('ProgressReporter', () => {
  it('piped: prints a plain line only after the work has been silent for the interval', () => {
    let now = 0;
    const stream = fakeStream(false);
    const progress = new ProgressReporter({ stream, intervalMs: 5_000, now: () => now });
    progress.update({ label: 'evaluating', done: 1, total: 100, unit: 'batches' });
    expect(stream.text).toBe('');
    now = 5_000;
    progress.update({ label: 'evaluating', done: 25, total: 100, unit: 'batches' });
    expect(stream.text).toBe('evaluating: 25% (25 batches/100 batches), 15 s left\n');
    now = 7_000;
    progress.log('an event line');
    now = 11_000;
    progress.update({ label: 'evaluating', done: 50, total: 100, unit: 'batches' });
    expect(stream.text.split('\n')).toHaveLength(3);
    now = 12_000;
    progress.update({ label: 'importing', done: 12_345, unit: 'messages', detail: '3 malformed' });
    expect(stream.text.split('\n').at(-2)).toBe('importing: 12,345 messages, 3 malformed');
  });

  it('on a terminal: redraws one bar in place and clears it for event lines and at the end', () => {
    let now = 0;
    const stream = fakeStream(true);
    const progress = new ProgressReporter({ stream, now: () => now });
    now = 200;
    progress.update({ label: 'reading a.txt', done: 5e6, total: 10e6, unit: 'bytes', leftMs: 120_000 });
    expect(stream.text).toBe(`\r\x1b[Kreading a.txt [############............] 50% 5.0 MB/10.0 MB, 2 min 00 s left`);
    progress.log('validation epoch 1');
    progress.update({ label: 'reading a.txt', done: 6e6, total: 10e6, unit: 'bytes' });
    progress.finish();
    expect(stream.text).toContain('\r\x1b[Kvalidation epoch 1\n\r\x1b[Kreading a.txt [##############');
    expect(stream.text.endsWith('\r\x1b[K')).toBe(true);
  });
});
