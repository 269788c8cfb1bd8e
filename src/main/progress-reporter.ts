/** Where progress goes: stderr, or a fake in tests. */
export interface ProgressStream {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

export interface ProgressReporterOptions {
  stream?: ProgressStream;
  /** Piped: longest silence before a progress line (default 5 s). */
  intervalMs?: number;
  now?: () => number;
}

export interface ProgressUpdate {
  /** The phase: `reading corpus.txt`, `training`, `validating`. */
  label: string;
  done: number;
  /** Undefined when unknown (no bar then, only the count). */
  total?: number;
  /** `bytes` (shown in MB), or a word: `messages`, `batches`. */
  unit: string;
  /** Follows the count: `loss 4.21`. */
  detail?: string;
  /** Time left when the work knows better than `done / total` (a time budget). */
  leftMs?: number;
}

/** Terminal: fastest redraw of the bar. */
const REDRAW_MS = 100;
const BAR_WIDTH = 24;

/**
 * Progress of long command-line work (reading a corpus, training, evaluating, importing) on stderr: on
 * a terminal, one bar redrawn in place below the work's own lines; piped, a plain line whenever the
 * work has been silent for `intervalMs`, so a log shows it is alive without filling up.
 */
export class ProgressReporter {
  readonly #stream: ProgressStream;
  readonly #tty: boolean;
  readonly #intervalMs: number;
  readonly #now: () => number;
  #lastWriteAt: number;
  #barShown = false;
  #phase = { label: '', startedAt: 0 };

  constructor(options: ProgressReporterOptions = {}) {
    this.#stream = options.stream ?? process.stderr;
    this.#tty = this.#stream.isTTY === true;
    this.#intervalMs = options.intervalMs ?? 5_000;
    this.#now = options.now ?? Date.now;
    this.#lastWriteAt = this.#now();
  }

  /** The work reached `done` of `total` in the phase `label`; a new label restarts the time estimate. */
  update({ label, done, total, unit, detail = '', leftMs }: ProgressUpdate): void {
    const now = this.#now();
    if (label !== this.#phase.label) this.#phase = { label, startedAt: now };
    if (now - this.#lastWriteAt < (this.#tty ? REDRAW_MS : this.#intervalMs)) return;
    const fraction = total ? Math.min(1, done / total) : undefined;
    const amount = total ? `${count(done, unit)}/${count(total, unit)}` : count(done, unit);
    const elapsedMs = now - this.#phase.startedAt;
    const estimate = leftMs ?? (fraction && fraction > 0.01 ? (elapsedMs * (1 - fraction)) / fraction : undefined);
    const left = estimate === undefined ? '' : `, ${duration(estimate)} left`;
    const extra = detail ? `, ${detail}` : '';
    if (this.#tty) {
      const bar =
        fraction === undefined ? '' : `[${'#'.repeat(Math.round(fraction * BAR_WIDTH)).padEnd(BAR_WIDTH, '.')}] `;
      const text = `${label} ${bar}${fraction === undefined ? '' : `${Math.floor(fraction * 100)}% `}${amount}${left}${extra}`;
      this.#stream.write(`\r\x1b[K${text.slice(0, Math.max(10, (this.#stream.columns ?? 80) - 1))}`);
      this.#barShown = true;
    } else {
      const percent = fraction === undefined ? '' : `${Math.floor(fraction * 100)}% (`;
      this.#stream.write(`${label}: ${percent}${amount}${percent ? ')' : ''}${left}${extra}\n`);
    }
    this.#lastWriteAt = now;
  }

  /** A line of the work's own (an event, a result): printed above the bar. */
  log(line: string): void {
    this.#clearBar();
    this.#stream.write(`${line}\n`);
    if (!this.#tty) this.#lastWriteAt = this.#now();
  }

  /** The work is over: the bar goes. */
  finish(): void {
    this.#clearBar();
  }

  #clearBar(): void {
    if (!this.#barShown) return;
    this.#stream.write('\r\x1b[K');
    this.#barShown = false;
    this.#lastWriteAt = 0;
  }
}

function count(n: number, unit: string): string {
  if (unit === 'bytes') return `${(n / 1e6).toFixed(1)} MB`;
  return `${n.toLocaleString('en-US')} ${unit}`;
}

function duration(ms: number): string {
  const s = Math.round(ms / 1000);
  return s < 90 ? `${s} s` : `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
}
