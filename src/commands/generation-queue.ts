import type { GenerateJobData } from '../queue/generate-job.js';

/** Where `/continue` puts its work: the `generate` queue's producer. */
export interface GenerationQueue {
  /** Validates and enqueues; resolves with the job id. */
  enqueue(data: GenerateJobData): Promise<string>;
}
