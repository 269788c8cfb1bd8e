import { inspect } from 'node:util';

const REDACTED = '[redacted]';

/**
 * A token or signing secret. Its value is read only through `reveal()`; printing, logging,
 * JSON-serialising or string-interpolating it shows `[redacted]`.
 */
export class Secret {
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
  }

  reveal(): string {
    return this.#value;
  }

  toString(): string {
    return REDACTED;
  }

  toJSON(): string {
    return REDACTED;
  }

  [inspect.custom](): string {
    return REDACTED;
  }
}
