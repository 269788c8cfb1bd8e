import type { GenerationRequest, GenerationResult, TextGenerator } from '../model/text-generator.js';

export interface BatcherOptions {
  /** Most requests in one `generate` call. */
  maxBatch: number;
  /** When idle, how long the first request waits for others to join its batch. */
  waitMs: number;
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
    if (afterBatch || this.#waiting.length >= this.options.maxBatch || this.options.waitMs <= 0) {
      clearTimeout(this.#timer);
      this.#timer = undefined;
      setImmediate(() => void this.#run());
      this.#running = true;
      return;
    }
    this.#timer ??= setTimeout(() => {
      this.#timer = undefined;
      if (this.#running) return;
      this.#running = true;
      void this.#run();
    }, this.options.waitMs);
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
