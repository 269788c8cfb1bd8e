import type { TextGenerator } from '../model/text-generator.js';

/**
 * Loads a model folder into a `TextGenerator` for the generation worker. Until the language model is
 * merged this says so; afterwards it calls the model store's loader.
 */
export async function loadGenerator(dir: string): Promise<TextGenerator> {
  throw Object.assign(new Error(`cannot load ${dir}: the language model is not built into this version yet`), {
    code: 'MODEL_LOADER_MISSING',
  });
}

/** The TensorFlow backend the worker runs on (`tensorflow` = native), for `/status`. */
export async function modelBackend(): Promise<string> {
  const { tfLoad } = await import('../model/tf.js');
  return tfLoad.backend;
}
