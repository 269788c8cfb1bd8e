/**
 * Tokens with a fixed meaning in every vocabulary. Specials sit at fixed ids; placeholders stand for
 * chat markup (mentions, links, custom emoji, code) so that a model never learns, and never writes,
 * a real mention or link.
 */
export const SPECIAL_TOKENS = ['<pad>', '<unk>', '<eos>'] as const;

/** Padding: never a real token, never sampled. */
export const PAD_ID = 0;
/** A word the vocabulary lacks. Fed to the model, never sampled, never rendered. */
export const UNK_ID = 1;
/** End of a chat message: a stream is messages each followed by `<eos>`; a reply starts after one. */
export const EOS_ID = 2;

export const PAD = '<pad>';
export const UNK = '<unk>';
export const EOS = '<eos>';

/** Placeholder tokens for markup, by role. */
export const PLACEHOLDERS = {
  /** A user mention: Discord `<@123>`, `<@!123>`, Slack `<@U123>`, plain `@name`. */
  user: '<user>',
  /** A role or user group: Discord `<@&123>`, Slack `<!subteam^S123>`. */
  role: '<role>',
  /** A channel link: Discord `<#123>`, Slack `<#C123|name>`. */
  channel: '<channel>',
  /** A mass mention: `@everyone`, `@here`, Slack `<!channel>`, `<!here>`, `<!everyone>`. */
  everyone: '<everyone>',
  /** A link: bare URLs, `<https://x>`, Slack `<http://x|label>`, e-mail addresses. */
  url: '<url>',
  /** A custom emoji: Discord `<:name:id>`, `<a:name:id>`. */
  emoji: '<emoji>',
  /** A code block or inline code. */
  code: '<code>',
} as const;

export type PlaceholderToken = (typeof PLACEHOLDERS)[keyof typeof PLACEHOLDERS];

/** Placeholders in their fixed order (ids 3..9 in a vocabulary built by `Vocabulary.build`). */
export const PLACEHOLDER_TOKENS: readonly PlaceholderToken[] = Object.values(PLACEHOLDERS);

const reserved: ReadonlySet<string> = new Set<string>([...SPECIAL_TOKENS, ...PLACEHOLDER_TOKENS]);

/** True for specials and placeholders: tokens every vocabulary holds. */
export function isReservedToken(token: string): boolean {
  return reserved.has(token);
}
