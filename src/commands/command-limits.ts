import type { Config } from '../config/schema.js';

/** The bounds and defaults commands enforce, taken from the config once. */
export interface CommandLimits {
  defaultTemperature: number;
  defaultWords: number;
  /** Words before a reply may end, unless asked otherwise (at most the reply's word limit). */
  defaultMinWords: number;
  maxWords: number;
  maxPromptChars: number;
}

export function commandLimitsFrom(
  config: Pick<Config, 'DEFAULT_TEMPERATURE' | 'DEFAULT_WORDS' | 'MIN_WORDS' | 'MAX_WORDS' | 'MAX_PROMPT_CHARS'>,
): CommandLimits {
  return {
    defaultTemperature: config.DEFAULT_TEMPERATURE,
    defaultWords: Math.min(config.DEFAULT_WORDS, config.MAX_WORDS),
    defaultMinWords: Math.min(config.MIN_WORDS, config.MAX_WORDS),
    maxWords: config.MAX_WORDS,
    maxPromptChars: config.MAX_PROMPT_CHARS,
  };
}
