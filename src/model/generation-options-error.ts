/** Why a generation request was refused; each code names one option. */
export type GenerationOptionsErrorCode =
  | 'INVALID_PROMPT'
  | 'INVALID_TEMPERATURE'
  | 'INVALID_MAX_WORDS'
  | 'INVALID_MIN_WORDS'
  | 'INVALID_TOP_K'
  | 'INVALID_TOP_P'
  | 'INVALID_SEED';

/**
 * A generation request that can never succeed (a temperature outside [0, 2], a word count that is
 * not a positive integer, ...). The message is short and names the accepted range; retrying the same
 * request cannot help.
 */
export class GenerationOptionsError extends Error {
  override readonly name = 'GenerationOptionsError';

  constructor(
    readonly code: GenerationOptionsErrorCode,
    message: string,
  ) {
    super(message);
  }
}
