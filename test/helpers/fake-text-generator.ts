import type { GenerationRequest, GenerationResult, TextGenerator } from '../../src/model/sampling/text-generator.js';

/**
 * A stand-in for the LSTM until the real model is merged: answers `<prompt> word1 word2 …` with
 * `maxWords` words naming the model, records each batch, and can be held (to be killed mid-job).
 */
export class FakeTextGenerator implements TextGenerator {
  readonly batches: number[] = [];
  disposed = false;
  #hold: Promise<void> | undefined;
  #release: (() => void) | undefined;

  constructor(
    readonly modelId = 'fake-1',
    private readonly delayMs = 0,
  ) {}

  /** Until `release()`, `generate` waits (asynchronously, so BullMQ keeps renewing locks). */
  hold(): void {
    this.#hold = new Promise((resolve) => (this.#release = resolve));
  }

  release(): void {
    this.#release?.();
    this.#hold = undefined;
  }

  async generate(requests: readonly GenerationRequest[]): Promise<GenerationResult[]> {
    this.batches.push(requests.length);
    if (this.#hold) await this.#hold;
    if (this.delayMs) await new Promise((r) => setTimeout(r, this.delayMs));
    return requests.map((r) => {
      const words = Array.from({ length: r.maxWords }, (_, i) => `${this.modelId}w${i}`);
      return { prompt: r.prompt, continuation: words.join(' '), tokens: words.length, stoppedBy: 'word-limit' };
    });
  }

  dispose(): void {
    this.disposed = true;
  }
}
