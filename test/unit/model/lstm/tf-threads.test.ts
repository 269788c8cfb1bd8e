import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import { intraOpThreadsFor, setTensorflowEnv, trainingThreads } from '../../../../src/model/lstm/tf-threads.js';

describe('TensorFlow threads per process', () => {
  it('gives training commands every core and every other command one thread', () => {
    expect(trainingThreads()).toBe(String(availableParallelism()));
    expect(intraOpThreadsFor('train')).toBe(trainingThreads());
    expect(intraOpThreadsFor('eval')).toBe(trainingThreads());
    for (const command of ['worker', 'start', 'bot', 'generate', 'trainer', undefined]) {
      expect(intraOpThreadsFor(command)).toBe('1');
    }
  });

  it("sets TensorFlow's environment at process start, leaving an operator's own values", () => {
    const env: NodeJS.ProcessEnv = {};
    setTensorflowEnv('4', env);
    expect(env).toEqual({ TF_CPP_MIN_LOG_LEVEL: '2', TF_NUM_INTRAOP_THREADS: '4' });
    const operator: NodeJS.ProcessEnv = { TF_CPP_MIN_LOG_LEVEL: '0', TF_NUM_INTRAOP_THREADS: '2' };
    setTensorflowEnv('1', operator);
    expect(operator).toEqual({ TF_CPP_MIN_LOG_LEVEL: '0', TF_NUM_INTRAOP_THREADS: '2' });
  });
});
