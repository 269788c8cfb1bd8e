import { slackTextToPlain } from './slack-text-to-plain.js';

/**
 * The prompt of an `app_mention`: its text without the bot's own mentions (`<@U…>`, `<@U…|name>`),
 * the rest as a person reads it (`slackTextToPlain`), spaces closed up and trimmed.
 */
export function slackMentionPrompt(text: string, botUserId: string | undefined): string {
  const own = botUserId === undefined ? text : text.replace(new RegExp(`<@${botUserId}(\\|[^>]*)?>`, 'g'), ' ');
  return slackTextToPlain(own)
    .replace(/[ \t]{2,}/g, ' ')
    .trim();
}
