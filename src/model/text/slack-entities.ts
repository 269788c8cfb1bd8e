/**
 * What a person typed, where Slack's wire text escapes it: `&lt;` `&gt;` `&amp;` (`<3`, `a & b`). Slack
 * escapes only these three; its own markup (`<@U1>`, `<https://x|label>`) is not touched here.
 * @see https://docs.slack.dev/messaging/formatting-message-text
 */
export function decodeSlackEntities(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}
