/**
 * The training losses of a run, in two windows: since the last progress report (its mean loss and
 * tokens per second) and since the last validation (the training loss beside a validation loss).
 */
export class TrainLossMeter {
  #windowLoss = 0;
  #windowBatches = 0;
  #windowTokens = 0;
  #windowStarted = performance.now();
  #sinceValidationLoss = 0;
  #sinceValidationBatches = 0;

  add(loss: number, tokens: number): void {
    this.#windowLoss += loss;
    this.#windowBatches += 1;
    this.#windowTokens += tokens;
    this.#sinceValidationLoss += loss;
    this.#sinceValidationBatches += 1;
  }

  /** The mean loss and tokens per second since the last call (or the start), and starts a new window. */
  takeWindow(): { loss: number; tokensPerSecond: number } {
    const now = performance.now();
    const tokensPerSecond = (this.#windowTokens * 1000) / Math.max(1, now - this.#windowStarted);
    const loss = this.#windowLoss / this.#windowBatches;
    this.#windowLoss = 0;
    this.#windowBatches = 0;
    this.#windowTokens = 0;
    this.#windowStarted = now;
    return { loss, tokensPerSecond };
  }

  /** The mean loss since the last call (NaN when no batch ran), and starts again. */
  takeSinceValidation(): number {
    const mean = this.#sinceValidationBatches > 0 ? this.#sinceValidationLoss / this.#sinceValidationBatches : NaN;
    this.#sinceValidationLoss = 0;
    this.#sinceValidationBatches = 0;
    return mean;
  }
}
