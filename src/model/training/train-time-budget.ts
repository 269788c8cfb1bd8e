/** What `TrainTimeBudget` needs of the training options. */
export interface TimeBudgetOptions {
  timeBudgetMs?: number;
  evaluationMsPerToken?: number;
  startAt?: { trainingMs: number };
}

/**
 * A training run's clock and its time budget. Cost estimates: the slowest of the recent batches, and
 * a validation (with its checkpoint) per token, measured; before the first one, a forward pass at
 * half a batch's cost. The stop test leaves them a margin (x1.5, x1.25) for a machine whose load changes.
 */
export class TrainTimeBudget {
  readonly #started = performance.now();
  readonly #recentBatchMs: number[] = [];
  #validationMsPerToken: number | undefined;

  constructor(
    private readonly options: TimeBudgetOptions,
    /** Tokens in one batch (the cost estimate of a validation token before one is measured). */
    private readonly tokensPerBatch: number,
    /** Tokens evaluated after the last batch: the final validation and the caller's evaluations. */
    private readonly reservedTokens: number,
  ) {
    this.#validationMsPerToken = options.evaluationMsPerToken;
  }

  /** Training time so far, a resumed run's earlier time included. */
  elapsed(): number {
    return performance.now() - this.#started + (this.options.startAt?.trainingMs ?? 0);
  }

  /** Where the budget ends on `performance.now()`'s clock: a validation still running then is cut there. */
  get end(): number | undefined {
    const { timeBudgetMs, startAt } = this.options;
    return timeBudgetMs === undefined ? undefined : this.#started + timeBudgetMs - (startAt?.trainingMs ?? 0);
  }

  /** True when another batch and the validations after it might not end within the budget. */
  exhausted(): boolean {
    const { timeBudgetMs } = this.options;
    return (
      timeBudgetMs !== undefined && this.elapsed() + 1.5 * this.#batchMs() + 1.25 * this.#reservedMs() >= timeBudgetMs
    );
  }

  /** The schedule's position: the share of batches done, or of the usable time spent if that is more. */
  progress(done: number, total: number): number {
    const usable = this.options.timeBudgetMs === undefined ? undefined : this.options.timeBudgetMs - this.#reservedMs();
    return Math.max(done / total, usable ? this.elapsed() / Math.max(1, usable) : 0);
  }

  /** Time left at the pace so far, never past the budget. */
  etaMs(done: number, total: number): number {
    const perBatchMs = this.elapsed() / done;
    const etaMs = (total - done) * perBatchMs;
    const { timeBudgetMs } = this.options;
    return timeBudgetMs ? Math.min(etaMs, Math.max(0, timeBudgetMs - this.elapsed())) : etaMs;
  }

  /** Times a batch (not the first of a run: it also warms TensorFlow up). */
  recordBatch(ms: number): void {
    this.#recentBatchMs.push(ms);
    if (this.#recentBatchMs.length > 20) this.#recentBatchMs.shift();
  }

  /** Times a validation of `tokens` tokens. */
  recordValidation(ms: number, tokens: number): void {
    const perToken = ms / Math.max(1, tokens);
    this.#validationMsPerToken = Math.max(perToken, this.#validationMsPerToken ?? 0);
  }

  #batchMs(): number {
    return Math.max(0, ...this.#recentBatchMs);
  }

  #reservedMs(): number {
    return this.reservedTokens * (this.#validationMsPerToken ?? this.#batchMs() / 2 / this.tokensPerBatch);
  }
}
