import { tfLoad } from './tf.js';

/** The start-up line every process writes when it runs without native TensorFlow. */
export function slowBackendWarning(): string | undefined {
  if (tfLoad.native) return undefined;
  return (
    `WARNING: native TensorFlow (@tensorflow/tfjs-node) is not available (${tfLoad.nativeError ?? 'unknown reason'}); ` +
    `running on the JavaScript "${tfLoad.backend}" backend. Generation works, but training will be VERY slow ` +
    `(about 200 times slower). See the README: "Installing without access to Google storage".`
  );
}
