import type { StatusUpdate } from '../../commands/reply-address.js';
import { renderReply } from '../../replies/reply-catalogue.js';

export type ConsoleStatusPlan = { action: 'print' } | { action: 'redraw'; rows: number } | { action: 'skip' };

/** Piped: status messages followed at most (the oldest are forgotten). */
const STATUSES_KEPT = 100;

/** Piped: what is known of one status message. */
interface PipedStatus {
  stage: string | undefined;
  /** When the request was sent (or first seen), and when a line about it was printed last. */
  since: number;
  printedAt: number;
  /** The newest state, when it was not printed (same stage, printed recently). */
  unprinted?: string;
}

/**
 * How the console shows the states of a status message (a `/retrain`'s progress). On a terminal,
 * a new state redraws the status line in place when nothing else was printed since. Piped, a change
 * of stage and the final state are printed, and while a status message is unfinished a line at least
 * every `progressEveryMs` (its newest state, or that it is still going), so logs stay readable and
 * show the work is alive.
 */
export class ConsoleStatusLines {
  /** Terminal: the status line printed last and how many rows it took, while it is the last output. */
  #last: { key: string; rows: number } | undefined;
  readonly #piped = new Map<string, PipedStatus>();
  readonly #progressEveryMs: number;
  readonly #now: () => number;

  constructor(
    private readonly interactive: boolean,
    options: { progressEveryMs?: number; now?: () => number } = {},
  ) {
    this.#progressEveryMs = options.progressEveryMs ?? 15_000;
    this.#now = options.now ?? Date.now;
  }

  /** What to do with a reply of `text`; `columns` is the terminal's width. */
  plan(text: string, status: StatusUpdate | undefined, columns: number): ConsoleStatusPlan {
    if (!this.interactive) return this.#planPiped(text, status);
    const last = this.#last;
    this.#last = status ? { key: status.key, rows: rowsOf(text, columns) } : undefined;
    return status && last?.key === status.key ? { action: 'redraw', rows: last.rows } : { action: 'print' };
  }

  /** Something else was written (a command's answer, the user's own line): the next state starts a new line. */
  otherOutput(): void {
    this.#last = undefined;
  }

  /** Piped: a status message is awaited from now on (its progress lines are due from here). */
  waiting(key: string): void {
    if (this.#piped.has(key)) return;
    const now = this.#now();
    this.#remember(key, { stage: undefined, since: now, printedAt: now });
  }

  /** Piped: the lines due now, for status messages silent for nearly `progressEveryMs` (call every second). */
  due(): string[] {
    const now = this.#now();
    const lines: string[] = [];
    for (const status of this.#piped.values()) {
      if (now - status.printedAt < this.#progressEveryMs - 1_000) continue;
      lines.push(
        status.unprinted ?? renderReply('console.stillWaiting', { seconds: Math.round((now - status.since) / 1000) }),
      );
      status.unprinted = undefined;
      status.printedAt = now;
    }
    return lines;
  }

  #planPiped(text: string, status: StatusUpdate | undefined): ConsoleStatusPlan {
    if (!status) return { action: 'print' };
    const now = this.#now();
    const known = this.#piped.get(status.key);
    if (status.stage === 'done') {
      this.#piped.delete(status.key);
      return { action: 'print' };
    }
    if (known?.stage === status.stage && now - known.printedAt < this.#progressEveryMs - 1_000) {
      known.unprinted = text;
      return { action: 'skip' };
    }
    this.#piped.delete(status.key);
    this.#remember(status.key, { stage: status.stage, since: known?.since ?? now, printedAt: now });
    return { action: 'print' };
  }

  #remember(key: string, status: PipedStatus): void {
    this.#piped.set(key, status);
    const oldest = this.#piped.keys().next();
    if (this.#piped.size > STATUSES_KEPT && !oldest.done) this.#piped.delete(oldest.value);
  }
}

/** Terminal rows `text` takes once printed, wrapped at `columns`. */
function rowsOf(text: string, columns: number): number {
  const width = Math.max(1, columns);
  return text.split('\n').reduce((rows, line) => rows + Math.max(1, Math.ceil([...line].length / width)), 0);
}
