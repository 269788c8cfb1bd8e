import {
  ApplicationCommandType,
  ContextMenuCommandBuilder,
  InteractionContextType,
  SlashCommandBuilder,
  SlashCommandIntegerOption,
  SlashCommandNumberOption,
  SlashCommandStringOption,
  SlashCommandSubcommandBuilder,
  type ApplicationCommandOptionBase,
  type RESTPostAPIApplicationCommandsJSONBody,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
} from 'discord.js';
import type { CommandLimits } from '../../commands/command-limits.js';
import {
  boundValue,
  commandPolicy,
  continueMessagePolicy,
  type ActionRule,
  type CommandRule,
  type OptionRule,
} from '../../commands/command-policy.js';
import { DISCORD_PERMISSION_OF } from './discord-caller.js';

/** Discord refuses string options longer than 6,000 characters. */
const DISCORD_MAX_STRING_LENGTH = 6_000;

export type DiscordLimits = Pick<CommandLimits, 'maxPromptChars' | 'maxWords' | 'maxRetrainMessages'>;

/**
 * The commands as Discord registers them, from the command policy: the slash commands, then the
 * message command "Continue this message" (for everyone, in servers only). A command whose every
 * action needs one right is hidden by default member permissions from everyone without it (server
 * admins may change that in Server Settings > Integrations): `/retrain` needs Manage Server.
 * `/temperature` and `/forget` stay visible because showing the temperature and `/forget me` are for
 * everyone; their restricted subcommands are checked on every interaction.
 */
export function discordCommands(limits: DiscordLimits): RESTPostAPIApplicationCommandsJSONBody[] {
  const messageCommand = new ContextMenuCommandBuilder()
    .setName(continueMessagePolicy.name)
    .setType(ApplicationCommandType.Message)
    .setContexts(InteractionContextType.Guild);
  return [...slashCommands(limits), messageCommand.toJSON()];
}

function slashCommands(limits: DiscordLimits): RESTPostAPIChatInputApplicationCommandsJSONBody[] {
  const discordLimits = { ...limits, maxPromptChars: Math.min(limits.maxPromptChars, DISCORD_MAX_STRING_LENGTH) };
  return Object.entries(commandPolicy).map(([name, rule]: [string, CommandRule]) => {
    const command = new SlashCommandBuilder()
      .setName(name)
      .setDescription(rule.description)
      .setContexts(InteractionContextType.Guild);
    const permission = defaultPermission(rule);
    if (permission !== undefined) command.setDefaultMemberPermissions(permission);
    if (rule.action) addOptions(command, rule.action, discordLimits);
    for (const [subName, sub] of Object.entries(rule.subcommands ?? {})) {
      command.addSubcommand(addOptions(new SlashCommandSubcommandBuilder().setName(subName), sub, discordLimits));
    }
    return command.toJSON();
  });
}

function defaultPermission(rule: CommandRule): bigint | undefined {
  const rights = new Set([rule.action, ...Object.values(rule.subcommands ?? {})].flatMap((a) => (a ? [a.right] : [])));
  const [only] = rights;
  return rights.size === 1 && only !== undefined && only !== 'everyone' ? DISCORD_PERMISSION_OF[only] : undefined;
}

type OptionHolder = SlashCommandBuilder | SlashCommandSubcommandBuilder;

function addOptions<T extends OptionHolder>(holder: T, action: ActionRule, limits: DiscordLimits): T {
  if (holder instanceof SlashCommandSubcommandBuilder) holder.setDescription(action.description);
  for (const option of action.options) addOption(holder, option, boundValue(option.max, limits));
  return holder;
}

function addOption(holder: OptionHolder, option: OptionRule, max: number): void {
  const named = <O extends ApplicationCommandOptionBase>(builder: O): O =>
    builder.setName(option.name).setDescription(option.description).setRequired(option.required);
  if (option.type === 'switch') {
    const choices = ['on', 'off'].map((word) => ({ name: word, value: word }));
    holder.addStringOption(named(new SlashCommandStringOption()).addChoices(...choices));
  } else if (option.type === 'string') {
    holder.addStringOption(named(new SlashCommandStringOption()).setMinLength(option.min).setMaxLength(max));
  } else if (option.type === 'number') {
    holder.addNumberOption(named(new SlashCommandNumberOption()).setMinValue(option.min).setMaxValue(max));
  } else {
    holder.addIntegerOption(named(new SlashCommandIntegerOption()).setMinValue(option.min).setMaxValue(max));
  }
}
