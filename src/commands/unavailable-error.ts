/** Redis (or another backing service) did not answer in time: the user is told to try again later. */
export class UnavailableError extends Error {
  readonly code = 'SERVICE_UNAVAILABLE';

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'UnavailableError';
  }
}
