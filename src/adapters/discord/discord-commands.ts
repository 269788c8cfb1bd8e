import {
  InteractionContextType,
  PermissionFlagsBits,
  SlashCommandBuilder,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
} from 'discord.js';
import { temperatureRange, type DiscordCommandLimits } from './discord-command-limits.js';

/**
 * The slash commands as Discord registers them. Default member permissions hide `/retrain` from
 * everyone without Manage Server (server admins may change that in Server Settings > Integrations);
 * `/temperature` and `/forget` stay visible because showing the temperature and `/forget me` are
 * for everyone, and their restricted subcommands are checked on every interaction.
 */
export function discordCommands(limits: DiscordCommandLimits): RESTPostAPIChatInputApplicationCommandsJSONBody[] {
  const guildOnly = InteractionContextType.Guild;
  const continueCommand = new SlashCommandBuilder()
    .setName('continue')
    .setDescription('Continue your text with the channel’s language model')
    .setContexts(guildOnly)
    .addStringOption((o) =>
      o
        .setName('prompt')
        .setDescription('The start of the text')
        .setRequired(true)
        .setMinLength(1)
        .setMaxLength(limits.maxPromptChars),
    )
    .addNumberOption((o) =>
      o
        .setName('temperature')
        .setDescription('Randomness for this answer only (0 = safest, 2 = wildest)')
        .setMinValue(temperatureRange.min)
        .setMaxValue(temperatureRange.max),
    )
    .addIntegerOption((o) =>
      o.setName('words').setDescription('How many words to write').setMinValue(1).setMaxValue(limits.maxWords),
    )
    .addIntegerOption((o) =>
      o
        .setName('min_words')
        .setDescription('Write at least this many words before ending')
        .setMinValue(0)
        .setMaxValue(limits.maxWords),
    );

  const temperature = new SlashCommandBuilder()
    .setName('temperature')
    .setDescription('Show or change this channel’s temperature')
    .setContexts(guildOnly)
    .addSubcommand((s) => s.setName('show').setDescription('Show this channel’s temperature'))
    .addSubcommand((s) =>
      s
        .setName('set')
        .setDescription('Set this channel’s temperature (needs Manage Channels)')
        .addNumberOption((o) =>
          o
            .setName('value')
            .setDescription('0 = safest, 2 = wildest')
            .setRequired(true)
            .setMinValue(temperatureRange.min)
            .setMaxValue(temperatureRange.max),
        ),
    )
    .addSubcommand((s) => s.setName('reset').setDescription('Back to the default (needs Manage Channels)'));

  const status = new SlashCommandBuilder()
    .setName('status')
    .setDescription('Model version, backend and queue of this channel')
    .setContexts(guildOnly);

  const retrain = new SlashCommandBuilder()
    .setName('retrain')
    .setDescription('Fine-tune this channel’s model on its history (Manage Server)')
    .setContexts(guildOnly)
    .setDefaultMemberPermissions(PermissionFlagsBits.ManageGuild)
    .addSubcommand((s) =>
      s
        .setName('start')
        .setDescription('Read the channel’s history and retrain')
        .addIntegerOption((o) =>
          o
            .setName('messages')
            .setDescription('How many recent messages to read')
            .setMinValue(1)
            .setMaxValue(limits.maxRetrainMessages),
        ),
    )
    .addSubcommand((s) => s.setName('cancel').setDescription('Stop the running or queued retraining'))
    .addSubcommand((s) => s.setName('rollback').setDescription('Go back to the previous model version'));

  const forget = new SlashCommandBuilder()
    .setName('forget')
    .setDescription('Delete stored data')
    .setContexts(guildOnly)
    .addSubcommand((s) =>
      s.setName('channel').setDescription('Delete this channel’s model and stored messages (Manage Server)'),
    )
    .addSubcommand((s) => s.setName('me').setDescription('Remove your messages from stored data and future training'));

  return [continueCommand, temperature, status, retrain, forget].map((command) => command.toJSON());
}
