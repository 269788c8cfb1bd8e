/** A problem with stored or imported history; `code` is stable for logs and tests. */
export class HistoryError extends Error {
  constructor(
    readonly code: 'IMPORT_SOURCE_MISSING' | 'IMPORT_FORMAT_INVALID',
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'HistoryError';
  }
}
