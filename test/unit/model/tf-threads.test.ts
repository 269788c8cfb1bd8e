import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import { intraOpThreadsFor, trainingThreads } from '../../../src/model/tf-threads.js';

describe('TensorFlow threads per process', () => {
  it('gives training commands every core and every other command one thread', () => {
    expect(trainingThreads()).toBe(String(availableParallelism()));
    expect(intraOpThreadsFor('train')).toBe(trainingThreads());
    expect(intraOpThreadsFor('eval')).toBe(trainingThreads());
    for (const command of ['worker', 'start', 'bot', 'generate', 'trainer', undefined]) {
      expect(intraOpThreadsFor(command)).toBe('1');
    }
  });
});
