export type TrainingErrorCode =
  | 'CORPUS_NOT_FOUND'
  | 'CORPUS_TOO_SMALL'
  | 'TRAINING_ABORTED'
  | 'TRAINING_DIVERGED'
  | 'INVALID_TRAIN_OPTIONS'
  | 'OUTPUT_NOT_MODEL_FOLDER';

/** A training failure with a stable code (the message is short and says what to change). */
export class TrainingError extends Error {
  constructor(
    readonly code: TrainingErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'TrainingError';
  }
}
