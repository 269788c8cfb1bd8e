/**
 * The last guard before text leaves the model: breaks anything Discord or Slack could read as a
 * mention, a mass mention or markup, by a zero-width space after `<` (`<@123>`, `<!here>`,
 * `<#1>`, `<http://x>`) and after the `@` of `@everyone`, `@here` and `@channel`.
 */
export function neutralizePings(text: string): string {
  return text
    .replace(/<(?=[@#!:/\p{L}])/gu, '<\u200b')
    .replace(/@(?=(?:everyone|here|channel)(?![\p{L}\p{N}_]))/giu, '@\u200b');
}
