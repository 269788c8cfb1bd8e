import { DOMAIN_SOURCE } from './chat-markup.js';

const ZWSP = '\u200b';
/** `<@123>`, `<!here>`, `<#1>`, `<http://x>`: a zero-width space after the `<` leaves plain text. */
const ANGLE_MARKUP = /<(?=[@#!:/\p{L}])/gu;
/** `@everyone`, `@here`, `@channel`, also after a full-width or small at sign. */
const MASS_MENTION = /([@＠﹫])(?=everyone|here|channel)/giu;
/** `https://`, `ftp://`, `steam://`...: a zero-width space before `://` leaves no scheme to link. */
const SCHEME = /\b([a-z][a-z0-9+.-]{1,30})(?=:\/\/)/gi;
/** `www.`, and the dot before the top-level domain of a bare domain (`reddit.com`, `a@b.org`). */
const WWW = /\b(www)\./gi;
const BARE_DOMAIN = new RegExp(DOMAIN_SOURCE, 'gi');

/**
 * The last guard before text leaves the model, for prompts echoed back and for model output alike:
 * breaks anything Discord or Slack could read as a mention, a mass mention, markup or a link, by a
 * zero-width space, and leaves every word as it was written: after `<` (`<@123>`, `<!here>`,
 * `<#1>`, `<http://x>`), after the `@` (or a full-width `＠`) of `@everyone`, `@here` and `@channel`,
 * before the `://` of a URL, in `www.` and before the top-level domain of a bare domain.
 */
export function neutralizePings(text: string): string {
  return text
    .replace(ANGLE_MARKUP, `<${ZWSP}`)
    .replace(MASS_MENTION, `$1${ZWSP}`)
    .replace(SCHEME, `$1${ZWSP}`)
    .replace(WWW, `$1${ZWSP}.`)
    .replace(BARE_DOMAIN, breakTopLevelDomain);
}

function breakTopLevelDomain(domain: string): string {
  const host = /^[^/:?#]*/.exec(domain)?.[0] ?? domain;
  const dot = host.lastIndexOf('.');
  return dot < 0 || host[dot + 1] === ZWSP ? domain : `${domain.slice(0, dot + 1)}${ZWSP}${domain.slice(dot + 1)}`;
}
