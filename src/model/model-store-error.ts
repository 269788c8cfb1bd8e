export type ModelStoreErrorCode = 'MODEL_NOT_FOUND' | 'MODEL_INVALID' | 'MODEL_WRITE_FAILED';

/** A model folder that cannot be read or written; the message names the folder and the problem. */
export class ModelStoreError extends Error {
  constructor(
    readonly code: ModelStoreErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'ModelStoreError';
  }
}
