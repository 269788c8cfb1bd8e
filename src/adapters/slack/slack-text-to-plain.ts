import { decodeSlackEntities } from '../../model/text/slack-entities.js';

/**
 * Slack's wire text as a person reads it: `<@U1|ann>` becomes `@ann` (`@U1` without a label),
 * `<#C1|general>` `#general`, `<!here>` `@here`, `<https://x|label>` `label`, `<https://x>` `https://x`,
 * and `&amp;` `&lt;` `&gt;` are decoded. Used on command text and on history before training.
 * @see https://docs.slack.dev/messaging/formatting-message-text
 */
export function slackTextToPlain(text: string): string {
  const resolved = text.replace(/<([^<>]*)>/g, (_match, inner: string) => {
    const [target = '', label] = splitOnce(inner, '|');
    if (target.startsWith('@')) return `@${label ?? target.slice(1)}`;
    if (target.startsWith('#')) return `#${label ?? target.slice(1)}`;
    if (target.startsWith('!')) {
      const special = target.slice(1).split('^')[0] ?? '';
      return label ?? `@${special}`;
    }
    return label ?? target;
  });
  return decodeSlackEntities(resolved);
}

function splitOnce(text: string, separator: string): [string, string | undefined] {
  const at = text.indexOf(separator);
  return at < 0 ? [text, undefined] : [text.slice(0, at), text.slice(at + 1)];
}
