/** A training run that did not end with a summary; `code` is the child's error code or the runner's own. */
export class TrainChildError extends Error {
  constructor(
    /** `CORPUS_TOO_SMALL`, `TRAINING_ABORTED`, `TRAIN_TIMEOUT`, `TRAIN_MEMORY_LIMIT`, `TRAIN_CHILD_FAILED`, or another code from the child. */
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'TrainChildError';
  }
}
