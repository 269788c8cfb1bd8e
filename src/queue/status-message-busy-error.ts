/** Another bot process is delivering a state of the same status message: the reply job retries later. */
export class StatusMessageBusyError extends Error {
  readonly code = 'STATUS_MESSAGE_BUSY';

  constructor(key: string) {
    super(`status message ${key} is being updated by another delivery`);
    this.name = 'StatusMessageBusyError';
  }
}
