const ZERO_WIDTH_SPACE = '\u200b';

/**
 * Makes user, role and channel mentions and `@everyone`/`@here` inert text, on top of the empty
 * `allowed_mentions` sent with every message: `<@123>` becomes `<\u200b@123>`.
 */
export function defuseMentions(text: string): string {
  return text.replace(/<([@#])/g, `<${ZERO_WIDTH_SPACE}$1`).replace(/@(everyone|here)\b/g, `@${ZERO_WIDTH_SPACE}$1`);
}
