export type VocabularyErrorCode = 'VOCABULARY_INVALID' | 'VOCABULARY_OPTIONS_INVALID' | 'TOKEN_ID_OUT_OF_RANGE';

/** A vocabulary that cannot be built or loaded, or an id it does not hold. */
export class VocabularyError extends Error {
  constructor(
    readonly code: VocabularyErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'VocabularyError';
  }
}
