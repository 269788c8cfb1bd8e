import { randomLstmParams } from '../../src/bench/random-lstm-params.js';
import type { LstmBatchStepper } from '../../src/model/lstm/lstm-batch-stepper.js';
import type { LstmModelConfig, LstmParams } from '../../src/model/lstm/lstm-params.js';
import { tf } from '../../src/model/lstm/tf.js';
import {
  generateTokenIds,
  type TokenGenerationSettings,
  type TokenStreamRequest,
} from '../../src/model/sampling/generate-token-ids.js';

/**
 * Random weights (`randomLstmParams(config, 5, 16)`) whose output bias for `eosId` is `bias`: a model
 * that ends a message as often as the bias makes it (3: about one reply in five after one word at the
 * tests' sizes; 20: nearly always).
 */
export function eosBiasedParams(config: LstmModelConfig, eosId: number, bias: number): LstmParams {
  const params = randomLstmParams(config, 5, 16);
  const biases = params.outputBias.dataSync().slice();
  biases[eosId] = bias;
  params.outputBias.dispose();
  params.outputBias = tf.tensor1d(biases);
  return params;
}

/** The share of the requests' replies that ended at `<eos>` right after their first word. */
export async function shareEndedAfterOneWord(
  stepper: LstmBatchStepper,
  requests: readonly TokenStreamRequest[],
  settings: TokenGenerationSettings,
): Promise<number> {
  const results = await generateTokenIds(stepper, requests, settings);
  return results.filter((r) => r.ids.length === 1 && r.stoppedBy === 'end-of-message').length / requests.length;
}
