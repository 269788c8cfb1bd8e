/**
 * The sentences the Discord adapter itself says (before a command reaches the handlers), by key.
 * Kept short: they are shown privately to the one user who typed the command.
 */
export const discordReplies = {
  dmNotSupported: 'I only work in server channels and threads. Use my commands in a channel of a server I am in.',
  promptEmpty: 'The prompt is empty. Give me a few words to continue.',
  promptTooLong: (max: number) => `The prompt is too long: at most ${max} characters.`,
  temperatureOutOfRange: (min: number, max: number) => `The temperature must be a number from ${min} to ${max}.`,
  wordsOutOfRange: (max: number) => `The number of words must be a whole number from 1 to ${max}.`,
  messagesOutOfRange: (max: number) => `The number of messages must be a whole number from 1 to ${max}.`,
  needsManageChannels: 'Changing the temperature needs the Manage Channels permission in this channel.',
  needsManageServer: 'This needs the Manage Server permission.',
  botNeedsHistory: 'I need the View Channel and Read Message History permissions in this channel to read its history.',
  unknownCommand: 'I do not know that command. Ask a server admin to run `lstm-bot discord register` again.',
  internalError: 'Something went wrong on my side. Please try again in a moment.',
} as const;
