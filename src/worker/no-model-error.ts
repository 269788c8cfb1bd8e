/** Neither the channel nor the deployment has a model installed: retrying cannot help. */
export class NoModelError extends Error {
  readonly code = 'NO_MODEL';

  constructor(baseModelDir: string) {
    super(`no model found: expected a base model at ${baseModelDir} (card.json and weights)`);
    this.name = 'NoModelError';
  }
}
