import { neutralizePings } from '../../model/text/neutralize-pings.js';

/**
 * Discord's renderer of the platform-neutral rules (`neutralizePings`): user, role and channel
 * mentions and `@everyone`/`@here` become inert text by a zero-width space (`<@123>` becomes
 * `<\u200b@123>`), on top of the empty `allowed_mentions` sent with every message.
 */
export function defuseMentions(text: string): string {
  return neutralizePings(text, { kinds: ['mentions', 'massMentions'] });
}
