import type { GenerationRequest, GenerationResult, TextGenerator } from '../model/sampling/text-generator.js';

export interface BatcherOptions {
  /** Most requests in one `generate` call. */
  maxBatch: number;
  /**
   * When idle, a batch starts once no request has joined for `waitMs` (requests fetched from Redis
   * one after another keep joining), and at the latest `maxWaitMs` after the first one.
   */
  waitMs: number;
  /** Default: 8 times `waitMs`. */
  maxWaitMs?: number;
}

interface Waiting {
  request: GenerationRequest;
  resolve(result: GenerationResult): void;
  reject(error: unknown): void;
}

/**
 * Turns concurrent requests for one model into batched `generate([...])` calls, so one LSTM step per
 * word serves the whole batch. One batch runs at a time per model; requests that arrive meanwhile form
 * the next batch, which starts as soon as the current one ends (no extra wait under load).
 */
export class RequestBatcher {
  readonly #waiting: Waiting[] = [];
  #running = false;
  #timer: NodeJS.Timeout | undefined;
  #firstWaitingAt = 0;

  constructor(
    private readonly generator: Pick<TextGenerator, 'generate'>,
    private readonly options: BatcherOptions,
    private readonly onBatch?: (size: number) => void,
  ) {}

  submit(request: GenerationRequest): Promise<GenerationResult> {
    return new Promise((resolve, reject) => {
      this.#waiting.push({ request, resolve, reject });
      this.#schedule(false);
    });
  }

  #schedule(afterBatch: boolean): void {
    if (this.#running || this.#waiting.length === 0) return;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    const { waitMs, maxBatch } = this.options;
    const now = performance.now();
    if (this.#waiting.length === 1 && !afterBatch) this.#firstWaitingAt = now;
    const maxWaitMs = this.options.maxWaitMs ?? waitMs * 8;
    const left = Math.min(waitMs, this.#firstWaitingAt + maxWaitMs - now);
    if (afterBatch || this.#waiting.length >= maxBatch || left <= 0) {
      this.#running = true;
      setImmediate(() => void this.#run());
      return;
    }
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      if (this.#running) return;
      this.#running = true;
      void this.#run();
    }, left);
  }

  async #run(): Promise<void> {
    const batch = this.#waiting.splice(0, this.options.maxBatch);
    try {
      if (batch.length === 0) return;
      this.onBatch?.(batch.length);
      const results = await this.generator.generate(batch.map((w) => w.request));
      batch.forEach((w, i) => {
        const result = results[i];
        if (result) w.resolve(result);
        else w.reject(new Error(`generate returned ${results.length} results for ${batch.length} requests`));
      });
    } catch (error) {
      for (const w of batch) w.reject(error);
    } finally {
      this.#running = false;
      this.#schedule(true);
    }
  }
}
