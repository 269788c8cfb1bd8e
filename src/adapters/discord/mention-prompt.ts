/**
 * The prompt of a Discord message that mentions the bot: its text without the bot's own mentions
 * (`<@id>`, and the older nickname form `<@!id>`), spaces closed up and trimmed. Other mentions stay:
 * every answer makes them inert.
 */
export function mentionPrompt(content: string, botUserId: string): string {
  return content
    .replaceAll(`<@${botUserId}>`, ' ')
    .replaceAll(`<@!${botUserId}>`, ' ')
    .replace(/[ \t]{2,}/g, ' ')
    .trim();
}
