import { neutralizePings } from '../../model/text/neutralize-pings.js';

const WORD_JOINER = '\u2060';

/**
 * Slack's renderer of the platform-neutral rules (`neutralizePings`): text that Slack shows as written
 * and that can notify nobody. `&`, `<` and `>` are escaped (Slack's own markup), so `<@U…>`,
 * `<!channel>`, `<!here>`, `<!everyone>`, `<!subteam^…>` and links render as plain text; a word joiner
 * after `@` keeps a literal `@channel`, `@here` or `@everyone` inert even if a client linkifies
 * names. Post it with `parse: 'none'` and `link_names: false`.
 */
export function safeSlackText(text: string): string {
  const escaped = text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  return neutralizePings(escaped, { kinds: ['massMentions'], breaker: WORD_JOINER });
}
