/**
 * The one place TensorFlow.js is loaded. Native TensorFlow (`@tensorflow/tfjs-node`) when it loads,
 * otherwise the pure-JavaScript `@tensorflow/tfjs`, which generates text but trains very slowly.
 * `LSTM_BOT_REQUIRE_NATIVE_TF=1` (set in CI) makes a missing native backend fatal;
 * `LSTM_BOT_DISABLE_NATIVE_TF=1` skips it, to try the fallback on a machine that has it.
 * Changes no environment: each process sets TensorFlow's (threads, log level) at its start, before
 * it imports this file (`setTensorflowEnv` in `tf-threads.ts`).
 */
import type * as TfModule from '@tensorflow/tfjs';

export type Tf = typeof TfModule;

export interface TfLoad {
  tf: Tf;
  /** `tensorflow` for the native backend, `cpu` for the JavaScript fallback. */
  backend: string;
  native: boolean;
  /** Why the native backend did not load, when it did not. */
  nativeError?: string;
}

async function loadTf(): Promise<TfLoad> {
  try {
    if (process.env.LSTM_BOT_DISABLE_NATIVE_TF === '1') throw new Error('disabled by LSTM_BOT_DISABLE_NATIVE_TF=1');
    const tf = (await import('@tensorflow/tfjs-node')) as unknown as Tf;
    await tf.ready();
    return { tf, backend: tf.getBackend(), native: tf.getBackend() === 'tensorflow' };
  } catch (error) {
    const nativeError = error instanceof Error ? error.message.split('\n')[0] : String(error);
    if (process.env.LSTM_BOT_REQUIRE_NATIVE_TF === '1') {
      throw new Error(`native TensorFlow (tfjs-node) did not load: ${nativeError}`, { cause: error });
    }
    const tf = (await import('@tensorflow/tfjs')) as unknown as Tf;
    await tf.setBackend('cpu');
    await tf.ready();
    return { tf, backend: tf.getBackend(), native: false, nativeError };
  }
}

export const tfLoad: TfLoad = await loadTf();
export const tf: Tf = tfLoad.tf;
