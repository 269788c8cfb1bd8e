import { PLACEHOLDERS, type PlaceholderToken } from './special-tokens.js';

/**
 * How each placeholder reads in a reply: plain text that neither Discord nor Slack turns into a
 * mention or a link. `<everyone>` keeps a zero-width space after the `@` so it cannot ping.
 */
export const PLACEHOLDER_TEXT = {
  [PLACEHOLDERS.user]: '@someone',
  [PLACEHOLDERS.role]: '@group',
  [PLACEHOLDERS.channel]: '#channel',
  [PLACEHOLDERS.everyone]: '@\u200beveryone',
  [PLACEHOLDERS.url]: '[link]',
  [PLACEHOLDERS.emoji]: ':emoji:',
  [PLACEHOLDERS.code]: '[code]',
} as const satisfies Record<PlaceholderToken, string>;

const texts: ReadonlyMap<string, string> = new Map(Object.entries(PLACEHOLDER_TEXT));

/** The text for a placeholder token, or `undefined` when `token` is no placeholder. */
export function renderPlaceholder(token: string): string | undefined {
  return texts.get(token);
}
