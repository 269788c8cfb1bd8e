import { DiscordAPIError, RESTJSONErrorCodes } from 'discord.js';
import { CodedError, isCodedError } from '../../errors/coded-error.js';

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
 * operator can act on (`DISCORD_MISSING_ACCESS`, ...; `errorCodes` says which are retryable).
 */
export function toDiscordError(error: unknown, doing: string): CodedError {
  if (isCodedError(error)) return error;
  if (error instanceof DiscordAPIError) {
    if (error.code === RESTJSONErrorCodes.MissingAccess) {
      return new CodedError(
        'DISCORD_MISSING_ACCESS',
        `Missing access ${doing}: the bot needs View Channel (and Read Message History) there`,
        { cause: error },
      );
    }
    if (error.code === RESTJSONErrorCodes.MissingPermissions) {
      return new CodedError('DISCORD_MISSING_PERMISSIONS', `Missing permissions ${doing}`, { cause: error });
    }
    if (error.code === RESTJSONErrorCodes.UnknownChannel) {
      return new CodedError('DISCORD_UNKNOWN_CHANNEL', `Unknown channel ${doing}`, { cause: error });
    }
  }
  const reason = error instanceof Error ? error.message : String(error);
  return new CodedError('DISCORD_REQUEST_FAILED', `Discord request failed ${doing}: ${reason}`, { cause: error });
}
