const BROADCASTS = /@(channel|here|everyone)\b/gi;
const WORD_JOINER = '\u2060';

/**
 * Text that Slack shows as written and that can notify nobody: `&`, `<` and `>` are escaped, so
 * `<@U…>`, `<!channel>`, `<!here>`, `<!everyone>`, `<!subteam^…>` and links render as plain text;
 * a word joiner after `@` keeps a literal `@channel`, `@here` or `@everyone` inert even if a
 * client linkifies names. Post it with `parse: 'none'` and `link_names: false`.
 */
export function safeSlackText(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(BROADCASTS, `@${WORD_JOINER}$1`);
}
