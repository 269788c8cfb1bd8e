import type { GenerateJobData } from '../queue/generate-job.js';

/** Where `/continue` puts its work: the `generate` queue's producer. */
export interface GenerationQueue {
  /**
   * Validates and enqueues; resolves with the job id. When `signal` is aborted by the time the add
   * completes (the caller was already told "temporarily unavailable"), the job is removed again and
   * the call rejects: a request refused to the user is never answered later.
   */
  enqueue(data: GenerateJobData, options?: { signal?: AbortSignal }): Promise<string>;
}
