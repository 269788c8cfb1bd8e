import { CodedError } from '../errors/coded-error.js';

/** Neither the channel nor the deployment has a model installed (`NO_MODEL`): retrying cannot help. */
export function noModelError(baseModelDir: string): CodedError<'NO_MODEL'> {
  return new CodedError('NO_MODEL', `no model found: expected a base model at ${baseModelDir} (card.json and weights)`);
}
