import { resolve } from 'node:path';
import type { ChannelRef } from '../../src/commands/channel-ref.js';
import { storedContextReader } from '../../src/history/recent-context.js';
import { loadGenerator } from '../../src/main/load-generator.js';
import type { TestWorkerOptions } from './pipeline-harness.js';

/** The tiny LSTM of test/fixtures (trained on tiny-dialogue.txt): a temperature-0 answer is repeatable. */
export const TINY_MODEL_DIR = resolve('test/fixtures/models/tiny');

/**
 * A worker's generator and context reader for context tests: the tiny real model for every channel
 * (whatever the model store holds), and the worker's own stored-context reader under `prefix`, each
 * read recorded in `reads` (the channel and the messages it gave), so a test sees what was read.
 */
export function tinyModelContextWorker(
  prefix: string,
  reads: { channel: ChannelRef; context: string[] }[],
): Required<Pick<TestWorkerOptions, 'loadGenerator' | 'recentContext'>> {
  return {
    loadGenerator: () => loadGenerator(TINY_MODEL_DIR),
    recentContext: (redis) => {
      const read = storedContextReader(prefix)(redis);
      return async (channel, prompt) => {
        const context = await read(channel, prompt);
        reads.push({ channel, context });
        return context;
      };
    },
  };
}
