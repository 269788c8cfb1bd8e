/**
 * The usage lines the Slack adapter shows when a command's text does not parse (Slack-specific:
 * they name the configured command). Everything else users read comes from `replies/reply-catalogue`.
 */
export const slackReplies = {
  usageContinue: (name: string) =>
    `Usage: \`${name} <prompt> [--temperature 0..2] [--words N] [--min-words N]\` (short: \`-t\`, \`-w\`).`,
  usageTemperature: (name: string) => `Usage: \`${name}\` to see it, \`${name} <0..2>\` to set it, \`${name} reset\`.`,
  usageRetrain: (name: string) =>
    `Usage: \`${name} [N]\` to retrain on the last N messages, \`${name} cancel\`, \`${name} rollback\`.`,
  usageForget: (name: string) => `Usage: \`${name} channel\` (admins) or \`${name} me\`.`,
  emptyPrompt: 'Give me the start of a sentence to continue.',
  badNumber: (option: string, value: string) => `\`${option}\` needs a number, not \`${value}\`.`,
  missingValue: (option: string) => `\`${option}\` needs a value.`,
  unknownOption: (option: string) => `Unknown option \`${option}\`.`,
} as const;
