/**
 * Sentences only the Discord adapter says (the rest come from `replies/reply-catalogue.ts`). Shown
 * privately to the one user who typed the command.
 */
export const discordReplies = {
  dmNotSupported: 'I only work in server channels and threads. Use my commands in a channel of a server I am in.',
  messagesOutOfRange: (max: number) => `The number of messages must be a whole number from 1 to ${max}.`,
  needsManageServer: 'This needs the Manage Server permission.',
  botNeedsHistory: 'I need the View Channel and Read Message History permissions in this channel to read its history.',
  unknownCommand: 'I do not know that command. Ask a server admin to run `lstm-bot discord register` again.',
} as const;
