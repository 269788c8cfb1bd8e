import { DiscordAPIError, RESTJSONErrorCodes } from 'discord.js';

export type DiscordErrorCode =
  | 'DISCORD_MISSING_ACCESS'
  | 'DISCORD_MISSING_PERMISSIONS'
  | 'DISCORD_UNKNOWN_CHANNEL'
  | 'DISCORD_NO_MESSAGE_CONTENT'
  | 'DISCORD_WRONG_PLATFORM'
  | 'DISCORD_REQUEST_FAILED';

/** Refusals that trying again cannot change: the channel is gone, or the bot may not see or post in it. */
const FOR_GOOD: ReadonlySet<DiscordErrorCode> = new Set([
  'DISCORD_MISSING_ACCESS',
  'DISCORD_MISSING_PERMISSIONS',
  'DISCORD_UNKNOWN_CHANNEL',
  'DISCORD_WRONG_PLATFORM',
]);

/**
 * A failure at the Discord edge, with a stable `code` and the original error as `cause`;
 * `retryable` is false when trying again cannot help (a reply job then fails at once).
 */
export class DiscordError extends Error {
  override readonly name = 'DiscordError';

  get retryable(): boolean {
    return !FOR_GOOD.has(this.code);
  }

  constructor(
    readonly code: DiscordErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Interaction-token failures after which a channel message is the only way left to answer. */
const EXPIRED_TOKEN_CODES: ReadonlySet<number> = new Set([
  RESTJSONErrorCodes.InvalidWebhookToken,
  RESTJSONErrorCodes.UnknownWebhook,
  RESTJSONErrorCodes.UnknownInteraction,
  RESTJSONErrorCodes.UnknownMessage,
]);

export function isExpiredInteractionError(error: unknown): boolean {
  return error instanceof DiscordAPIError && typeof error.code === 'number' && EXPIRED_TOKEN_CODES.has(error.code);
}

/**
 * Names what went wrong in a Discord REST call (`doing`, e.g. `reading channel 123`) by a code an
 * operator can act on.
 */
export function toDiscordError(error: unknown, doing: string): DiscordError {
  if (error instanceof DiscordError) return error;
  if (error instanceof DiscordAPIError) {
    if (error.code === RESTJSONErrorCodes.MissingAccess) {
      return new DiscordError(
        'DISCORD_MISSING_ACCESS',
        `Missing access ${doing}: the bot needs View Channel (and Read Message History) there`,
        { cause: error },
      );
    }
    if (error.code === RESTJSONErrorCodes.MissingPermissions) {
      return new DiscordError('DISCORD_MISSING_PERMISSIONS', `Missing permissions ${doing}`, { cause: error });
    }
    if (error.code === RESTJSONErrorCodes.UnknownChannel) {
      return new DiscordError('DISCORD_UNKNOWN_CHANNEL', `Unknown channel ${doing}`, { cause: error });
    }
  }
  const reason = error instanceof Error ? error.message : String(error);
  return new DiscordError('DISCORD_REQUEST_FAILED', `Discord request failed ${doing}: ${reason}`, { cause: error });
}
