import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import { trainingProcessEnv } from '../../../../src/model/training/training-process-env.js';

describe('trainingProcessEnv', () => {
  it('gives a training process every core and glibc settings that keep freed memory in the heap', () => {
    const env = trainingProcessEnv({ PATH: '/bin', TF_NUM_INTRAOP_THREADS: '1' });
    expect(env).toEqual({
      PATH: '/bin',
      TF_NUM_INTRAOP_THREADS: String(availableParallelism()),
      MALLOC_MMAP_MAX_: '0',
      MALLOC_TRIM_THRESHOLD_: '1000000000000',
    });
  });

  it("keeps an operator's own glibc settings", () => {
    expect(trainingProcessEnv({ MALLOC_MMAP_MAX_: '65536' }).MALLOC_MMAP_MAX_).toBe('65536');
  });
});
