import type { GenerationRequest, GenerationResult } from '../../src/model/sampling/text-generator.js';
import { FakeTextGenerator } from './fake-text-generator.js';

/** A `FakeTextGenerator` that records every request it is given and names its replies' tokens, as the LSTM generator does. */
export class RecordingGenerator extends FakeTextGenerator {
  readonly requests: GenerationRequest[] = [];

  override async generate(requests: readonly GenerationRequest[]): Promise<GenerationResult[]> {
    this.requests.push(...requests);
    const results = await super.generate(requests);
    return results.map((result) => ({ ...result, replyTokens: result.continuation.split(' ') }));
  }
}
