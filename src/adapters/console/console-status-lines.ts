import type { StatusUpdate } from '../../commands/reply-address.js';

export type ConsoleStatusPlan = { action: 'print' } | { action: 'redraw'; rows: number } | { action: 'skip' };

/** Piped: stages remembered for this many status messages at most (the oldest are forgotten). */
const STAGES_KEPT = 100;

/**
 * How the console shows the states of a status message (a `/retrain`'s progress). On a terminal,
 * a new state redraws the status line in place when nothing else was printed since; piped, only a
 * change of stage and the final state are printed, so logs stay readable.
 */
export class ConsoleStatusLines {
  /** Terminal: the status line printed last and how many rows it took, while it is the last output. */
  #last: { key: string; rows: number } | undefined;
  /** Piped: the stage printed last, per status message. */
  readonly #stages = new Map<string, string>();

  constructor(private readonly interactive: boolean) {}

  /** What to do with a reply of `text`; `columns` is the terminal's width. */
  plan(text: string, status: StatusUpdate | undefined, columns: number): ConsoleStatusPlan {
    if (!this.interactive) return this.#planPiped(status);
    const last = this.#last;
    this.#last = status ? { key: status.key, rows: rowsOf(text, columns) } : undefined;
    return status && last?.key === status.key ? { action: 'redraw', rows: last.rows } : { action: 'print' };
  }

  /** Something else was written (a command's answer, the user's own line): the next state starts a new line. */
  otherOutput(): void {
    this.#last = undefined;
  }

  #planPiped(status: StatusUpdate | undefined): ConsoleStatusPlan {
    if (!status) return { action: 'print' };
    if (this.#stages.get(status.key) === status.stage) return { action: 'skip' };
    this.#stages.delete(status.key);
    if (status.stage !== 'done') this.#stages.set(status.key, status.stage);
    const oldest = this.#stages.keys().next();
    if (this.#stages.size > STAGES_KEPT && !oldest.done) this.#stages.delete(oldest.value);
    return { action: 'print' };
  }
}

/** Terminal rows `text` takes once printed, wrapped at `columns`. */
function rowsOf(text: string, columns: number): number {
  const width = Math.max(1, columns);
  return text.split('\n').reduce((rows, line) => rows + Math.max(1, Math.ceil([...line].length / width)), 0);
}
