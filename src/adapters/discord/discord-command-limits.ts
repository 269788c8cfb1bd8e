import type { Config } from '../../config/schema.js';

/** The bounds of every option, declared to Discord and checked again when a command arrives. */
export interface DiscordCommandLimits {
  maxPromptChars: number;
  maxWords: number;
  maxRetrainMessages: number;
}

export const temperatureRange = { min: 0, max: 2 } as const;

/** Discord refuses string options longer than 6,000 characters. */
const DISCORD_MAX_STRING_LENGTH = 6_000;

export function discordCommandLimits(
  config: Pick<Config, 'MAX_PROMPT_CHARS' | 'MAX_WORDS' | 'RETRAIN_MAX_MESSAGES'>,
): DiscordCommandLimits {
  return {
    maxPromptChars: Math.min(config.MAX_PROMPT_CHARS, DISCORD_MAX_STRING_LENGTH),
    maxWords: config.MAX_WORDS,
    maxRetrainMessages: config.RETRAIN_MAX_MESSAGES,
  };
}
