import { PLACEHOLDERS, type PlaceholderToken } from './special-tokens.js';

/**
 * Discord and Slack markup in angle brackets: mentions `<@123>`, `<@!123>`, `<@&123>`, `<@U123>`,
 * channels `<#123>`, `<#C123|name>`, Slack commands `<!here>`, `<!subteam^S1|@team>`, links
 * `<https://x>`, `<http://x|label>`, custom emoji `<:name:id>`, `<a:name:id>`, slash-command
 * mentions `</name:id>` and timestamps `<t:123:R>`. Quantifiers are bounded so that no input
 * makes the scan quadratic.
 */
export const ANGLE_MARKUP_SOURCE =
  '<(?:@[!&]?[\\w.-]{1,80}(?:\\|[^>]{0,200})?|#[\\w-]{1,80}(?:\\|[^>]{0,200})?|![^>]{1,200}' +
  '|a?:\\w{1,80}:\\d{1,30}|(?:https?|ftp|mailto):[^\\s>|]{1,2000}(?:\\|[^>]{0,400})?' +
  '|\\/[\\w -]{1,100}:\\d{1,30}|t:-?\\d{1,20}(?::\\w)?)>';

/** HTML-like tags `<div class="x">`, `</p>` (read as code). Expects lower-cased text. */
export const HTML_TAG_SOURCE = '<\\/?[a-z][a-z0-9-]{0,30}(?:\\s[^<>]{0,300})?\\/?>';

/** Markdown links `[label](https://x)` and images `![alt](https://x)`, one image inside a link allowed. */
export const MARKDOWN_LINK_SOURCE =
  '!?\\[(?:!\\[[^\\][]{0,300}\\]\\([^)\\s]{1,2000}\\)|[^\\][]{0,300})\\]\\((?:https?:\\/\\/|www\\.|\\/)[^)\\s]{0,2000}\\)';

/** Bare domains of common top-level domains: `reddit.com`, `twitch.tv/x`. Expects lower-cased text. */
export const DOMAIN_SOURCE =
  '(?:[a-z0-9-]{1,63}\\.){1,4}(?:com|org|net|edu|gov|io|tv|gg|dev|uk|de|fr|ly|app|info|xyz)(?![a-z0-9-])' +
  '(?:[/:?#][^\\s<>"]*[^\\s<>"\'.,;:!?)\\]}*_])?';

/**
 * Bare links: any scheme (`https://...`, `mongodb://...`, `git+ssh://...`, `file:///...`), `www....` and
 * `localhost:` with a port, trailing sentence punctuation left out. Expects lower-cased text.
 */
export const URL_SOURCE = '(?:[a-z][a-z0-9+-]{0,30}:\\/\\/|www\\.|localhost:(?=\\d))[^\\s<>"]*[^\\s<>"\'.,;:!?)\\]}*_]';

/** E-mail addresses (treated as links). */
export const EMAIL_SOURCE = '[\\w.+-]{1,64}@[\\w-]{1,63}(?:\\.[\\w-]{1,63})+';

/** Plain mentions `@name`; `@everyone`, `@here` and `@channel` among them are mass mentions. */
export const AT_MENTION_SOURCE = '@[\\p{L}\\p{N}_](?:[\\p{L}\\p{N}_.-]{0,80}[\\p{L}\\p{N}_])?';

/** Code blocks (an unclosed block runs to the end) and inline code. */
export const CODE_SOURCE = '```[\\s\\S]*?(?:```|$)|`[^`]{1,2000}`';

const MASS_MENTIONS: ReadonlySet<string> = new Set(['everyone', 'here', 'channel']);

/**
 * The placeholder for angle-bracket markup (or an HTML tag, read as code), or `null` for markup
 * that carries no word (timestamps, dates).
 */
export function classifyAngleMarkup(markup: string): PlaceholderToken | null {
  const c = markup.charAt(1);
  if (c === '@') return markup.charAt(2) === '&' ? PLACEHOLDERS.role : PLACEHOLDERS.user;
  if (c === '#') return PLACEHOLDERS.channel;
  if (c === '!') {
    if (/^<!subteam\^/i.test(markup)) return PLACEHOLDERS.role;
    const command = /^<!(\w+)/.exec(markup)?.[1]?.toLowerCase();
    return command !== undefined && MASS_MENTIONS.has(command) ? PLACEHOLDERS.everyone : null;
  }
  if (/^<a?:\w+:\d+>$/.test(markup)) return PLACEHOLDERS.emoji;
  if (/^<t:-?\d+(?::\w)?>$/.test(markup)) return null;
  if (/^<(?:https?|ftp|mailto):/i.test(markup)) return PLACEHOLDERS.url;
  return PLACEHOLDERS.code; // slash-command mentions `</name:id>`, HTML tags
}

/** The placeholder for a plain `@name`: a mass mention for `@everyone`, `@here`, `@channel`. */
export function classifyAtMention(mention: string): PlaceholderToken {
  return MASS_MENTIONS.has(mention.slice(1).toLowerCase()) ? PLACEHOLDERS.everyone : PLACEHOLDERS.user;
}
