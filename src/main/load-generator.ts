import type { Logger } from '../ops/logger.js';
import { loadModel } from '../model/store/load-model.js';
import { LstmTextGenerator, type LstmTextGeneratorOptions } from '../model/sampling/lstm-text-generator.js';
import type { TextGenerator } from '../model/sampling/text-generator.js';

/** Loads a model folder (`saveModel`'s layout) into the LSTM `TextGenerator` the worker batches into. */
export async function loadGenerator(dir: string, options: LstmTextGeneratorOptions = {}): Promise<TextGenerator> {
  return new LstmTextGenerator(await loadModel(dir), options);
}

/** The TensorFlow backend the worker runs on (`tensorflow` = native), for `/status`. */
export async function modelBackend(logger?: Logger): Promise<string> {
  const { tfLoad } = await import('../model/lstm/tf.js');
  const { slowBackendWarning } = await import('../model/lstm/tf-warning.js');
  const warning = slowBackendWarning();
  // Loud on purpose: on the JavaScript backend training is about 200 times slower.
  if (warning) logger?.warn(warning);
  // A wrong LSTM_BOT_TRAIN_PRECISION or LSTM_BOT_SAMPLE_PRECISION stops the process here, at its start.
  const { defaultSamplePrecision, defaultTrainPrecision } = await import('../model/lstm/output-precision.js');
  const { defaultOutputLayout } = await import('../model/lstm/lstm-batch-stepper.js');
  const { nativeKernels } = await import('../model/lstm/native-kernels.js');
  const sampling = defaultSamplePrecision();
  const layout = sampling === 'mixed' && tfLoad.native ? { samplingLayout: defaultOutputLayout() } : {};
  const softmax = nativeKernels && {
    softmax: nativeKernels.softmaxKernel,
    ...(nativeKernels.onednnSoftmaxError !== undefined && { onednnSoftmaxError: nativeKernels.onednnSoftmaxError }),
  };
  logger?.info({ training: defaultTrainPrecision(), sampling, ...layout, ...softmax }, 'output layer precision');
  return tfLoad.backend;
}
