import { configSchema, type Config } from '../config/schema.js';

/** The bounds and defaults commands enforce, taken from the config once. */
export interface CommandLimits {
  defaultTemperature: number;
  defaultWords: number;
  /** Words before a reply may end, unless asked otherwise (at most the reply's word limit). */
  defaultMinWords: number;
  maxWords: number;
  maxPromptChars: number;
  /** Most messages one `/retrain` may read. */
  maxRetrainMessages: number;
}

type LimitKeys = 'DEFAULT_TEMPERATURE' | 'DEFAULT_WORDS' | 'MIN_WORDS' | 'MAX_WORDS' | 'MAX_PROMPT_CHARS';

export function commandLimitsFrom(
  config: Pick<Config, LimitKeys> & Partial<Pick<Config, 'RETRAIN_MAX_MESSAGES'>>,
): CommandLimits {
  return {
    defaultTemperature: config.DEFAULT_TEMPERATURE,
    defaultWords: Math.min(config.DEFAULT_WORDS, config.MAX_WORDS),
    defaultMinWords: Math.min(config.MIN_WORDS, config.MAX_WORDS),
    maxWords: config.MAX_WORDS,
    maxPromptChars: config.MAX_PROMPT_CHARS,
    maxRetrainMessages: config.RETRAIN_MAX_MESSAGES ?? configSchema.shape.RETRAIN_MAX_MESSAGES.parse(undefined),
  };
}
