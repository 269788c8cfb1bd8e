import { CodedError } from '../errors/coded-error.js';

export interface ConfigProblem {
  key: string;
  /** What was expected, as a sentence fragment: `must be a number <= 2`. */
  expected: string;
  received: string;
}

/** Bad configuration (`CONFIG_INVALID`): every problem at once, one line each, ready to print before exiting. */
export class ConfigError extends CodedError<'CONFIG_INVALID'> {
  constructor(readonly problems: readonly ConfigProblem[]) {
    super(
      'CONFIG_INVALID',
      ['Invalid configuration:', ...problems.map((p) => `  ${p.key}: ${p.expected} (got ${p.received})`)].join('\n'),
    );
  }
}
