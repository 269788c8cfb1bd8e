/**
 * Every sentence the Slack adapter itself shows a user (usage lines and edge failures). Command
 * answers come from the pipeline's catalogue; these are only what the adapter says before or
 * instead of reaching it.
 */
export const slackReplies = {
  usageContinue: (name: string) =>
    `Usage: \`${name} <prompt> [--temperature 0..2] [--words N]\` (short: \`-t\`, \`-w\`).`,
  usageTemperature: (name: string) => `Usage: \`${name}\` to see it, \`${name} <0..2>\` to set it, \`${name} reset\`.`,
  usageRetrain: (name: string) =>
    `Usage: \`${name} [N]\` to retrain on the last N messages, \`${name} cancel\`, \`${name} rollback\`.`,
  usageForget: (name: string) => `Usage: \`${name} channel\` (admins) or \`${name} me\`.`,
  emptyPrompt: 'Give me the start of a sentence to continue.',
  badNumber: (option: string, value: string) => `\`${option}\` needs a number, not \`${value}\`.`,
  missingValue: (option: string) => `\`${option}\` needs a value.`,
  unknownOption: (option: string) => `Unknown option \`${option}\`.`,
  failed: 'Sorry, something went wrong on my side. Please try again in a moment.',
} as const;
