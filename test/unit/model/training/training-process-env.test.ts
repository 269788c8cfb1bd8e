import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import {
  COMMAND_STARTED_AT,
  commandStartedAt,
  needsTrainingRestart,
  trainingProcessEnv,
  withGlibcTrainingSettings,
} from '../../../../src/model/training/training-process-env.js';

describe('trainingProcessEnv', () => {
  it("gives a training process every core, glibc settings that keep freed memory in the heap and TensorFlow's best-fit allocator", () => {
    const env = trainingProcessEnv({ PATH: '/bin', TF_NUM_INTRAOP_THREADS: '1' });
    expect(env).toEqual({
      PATH: '/bin',
      TF_NUM_INTRAOP_THREADS: String(availableParallelism()),
      MALLOC_MMAP_MAX_: '0',
      MALLOC_TRIM_THRESHOLD_: '1000000000000',
      TF_CPU_ALLOCATOR_USE_BFC: 'true',
    });
  });

  it("keeps an operator's own glibc and allocator settings", () => {
    const env = trainingProcessEnv({ MALLOC_MMAP_MAX_: '65536', TF_CPU_ALLOCATOR_USE_BFC: 'false' });
    expect([env.MALLOC_MMAP_MAX_, env.TF_CPU_ALLOCATOR_USE_BFC]).toEqual(['65536', 'false']);
  });
});

describe('a training command started without the glibc settings', () => {
  it('restarts train and eval only, and never twice', () => {
    expect(needsTrainingRestart('train', {})).toBe(true);
    expect(needsTrainingRestart('eval', { PATH: '/bin' })).toBe(true);
    for (const command of ['start', 'worker', 'generate', 'import', undefined]) {
      expect(needsTrainingRestart(command, {})).toBe(false);
    }
    expect(needsTrainingRestart('train', withGlibcTrainingSettings({}))).toBe(false);
    // An operator's own setting, whatever it is, is theirs.
    expect(needsTrainingRestart('train', { MALLOC_MMAP_MAX_: '65536' })).toBe(false);
  });

  it('counts --minutes from the start before the restart, never from a time to come', () => {
    const before = performance.timeOrigin - 80;
    expect(commandStartedAt({ [COMMAND_STARTED_AT]: String(before) })).toBe(before);
    expect(commandStartedAt({})).toBe(performance.timeOrigin);
    for (const bad of ['', 'soon', '-5', String(performance.timeOrigin + 60_000)]) {
      expect(commandStartedAt({ [COMMAND_STARTED_AT]: bad })).toBe(performance.timeOrigin);
    }
  });
});
