/**
 * The last guard before text leaves the model: breaks anything Discord or Slack could read as a
 * mention, a mass mention or markup, by a zero-width space after `<` (`<@123>`, `<!here>`,
 * `<#1>`, `<http://x>`) and after the `@` (or a full-width `＠`) of `@everyone`, `@here` and `@channel`.
 */
export function neutralizePings(text: string): string {
  return text.replace(/<(?=[@#!:/\p{L}])/gu, '<\u200b').replace(/([@＠﹫])(?=everyone|here|channel)/giu, '$1\u200b');
}
