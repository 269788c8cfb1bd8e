import { DOMAIN_SOURCE } from './chat-markup.js';

/** What the platform-neutral rules make inert: angle mentions, mass mentions, links. */
export type PingKind = 'mentions' | 'massMentions' | 'links';

export interface NeutralizeOptions {
  /** Which rules to apply (in this module's order); default all. */
  kinds?: readonly PingKind[];
  /** The invisible character that breaks markup; default a zero-width space (Slack: a word joiner). */
  breaker?: string;
}

const ZERO_WIDTH_SPACE = '\u200b';
const ALL_KINDS: readonly PingKind[] = ['mentions', 'massMentions', 'links'];

/** `<@123>`, `<@&1>`, `<!here>`, `<#1>`, `<http://x>`: a breaker after the `<` leaves plain text. */
const ANGLE_MARKUP = /<(?=[@#!:/\p{L}])/gu;
/** `@everyone`, `@here`, `@channel`, also after a full-width or small at sign. */
const MASS_MENTION = /([@＠﹫])(?=everyone|here|channel)/giu;
/** `https://`, `ftp://`, `steam://`...: a breaker before `://` leaves no scheme to link. */
const SCHEME = /\b([a-z][a-z0-9+.-]{1,30})(?=:\/\/)/gi;
/** `www.`, and the dot before the top-level domain of a bare domain (`reddit.com`, `a@b.org`). */
const WWW = /\b(www)\./gi;
const BARE_DOMAIN = new RegExp(DOMAIN_SOURCE, 'gi');

const RULES: Readonly<Record<PingKind, (text: string, breaker: string) => string>> = {
  mentions: (text, breaker) => text.replace(ANGLE_MARKUP, `<${breaker}`),
  massMentions: (text, breaker) => text.replace(MASS_MENTION, `$1${breaker}`),
  links: (text, breaker) =>
    text
      .replace(SCHEME, `$1${breaker}`)
      .replace(WWW, `$1${breaker}.`)
      .replace(BARE_DOMAIN, (domain) => breakTopLevelDomain(domain, breaker)),
};

/**
 * The one set of rules that keeps text from pinging anyone or linking anywhere on any platform: breaks
 * by an invisible character anything Discord or Slack could read as a mention, a mass mention, markup
 * or a link, and leaves every word as it was written: after `<` (`<@123>`, `<!here>`, `<#1>`,
 * `<http://x>`), after the `@` (or a full-width `＠`) of `@everyone`, `@here` and `@channel`, before
 * the `://` of a URL, in `www.` and before the top-level domain of a bare domain. With all rules, the
 * last guard before text leaves the model (prompts echoed back and model output alike); the platform
 * senders render every reply through their own choice of rules (`defuseMentions`, `safeSlackText`).
 */
export function neutralizePings(
  text: string,
  { kinds = ALL_KINDS, breaker = ZERO_WIDTH_SPACE }: NeutralizeOptions = {},
): string {
  return ALL_KINDS.filter((kind) => kinds.includes(kind)).reduce((out, kind) => RULES[kind](out, breaker), text);
}

function breakTopLevelDomain(domain: string, breaker: string): string {
  const host = /^[^/:?#]*/.exec(domain)?.[0] ?? domain;
  const dot = host.lastIndexOf('.');
  return dot < 0 || host[dot + 1] === breaker
    ? domain
    : `${domain.slice(0, dot + 1)}${breaker}${domain.slice(dot + 1)}`;
}
