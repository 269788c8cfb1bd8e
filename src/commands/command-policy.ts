import type { ChannelSwitch, ChannelValue, ChatCommand, ChatCommandName } from './chat-command.js';
import type { CommandLimits } from './command-limits.js';
import type { ReplyKey } from '../replies/reply-catalogue.js';

/**
 * Who may run a command, in platform-neutral rights (`Caller`): each adapter maps its platform's
 * permissions to them (Discord: Manage Channels, Manage Server; Slack: admins and owners).
 */
export type Right = 'everyone' | 'manageChannel' | 'manageWorkspace';

/** A bound of an option: a fixed number, or one of the deployment's limits (from the config). */
export type Bound = number | keyof Pick<CommandLimits, 'maxPromptChars' | 'maxWords' | 'maxRetrainMessages'>;

/** The fields of a `ChatCommand` that come from options. */
export type OptionField = 'prompt' | 'temperature' | 'words' | 'minWords' | 'value' | 'messages' | 'enabled';

/** The refusals of a number out of its option's bounds: each names the range `{ min, max }`. */
export type RangeRefusal =
  | 'temperature.outOfRange'
  | 'continue.badWords'
  | 'continue.badMinWords'
  | 'retrain.badMessages'
  | 'settings.badMinWords'
  | 'settings.badChatter';

export interface OptionRule {
  /** The option's name on Discord. */
  readonly name: string;
  /** Where the value goes in the `ChatCommand`. */
  readonly field: OptionField;
  /**
   * `string`: bounds are lengths; `number`: any decimal; `integer`: whole numbers only; `switch`: the
   * words `on` (1) or `off` (0).
   */
  readonly type: 'string' | 'number' | 'integer' | 'switch';
  readonly description: string;
  readonly required: boolean;
  readonly min: number;
  readonly max: Bound;
  /**
   * How the option is written in text commands (Slack, console): `--temperature 0.5`. Long forms only:
   * a one-letter flag (`-t`, `-w`) would take words of a prompt (`ls -t`, `grep -w`) for options.
   */
  readonly flags: readonly string[];
  /** What a number out of bounds (or not a number of the type) gets, where not the field's refusal. */
  readonly outOfRange?: RangeRefusal;
}

export interface ActionRule {
  readonly description: string;
  /** What follows the command's name when it is typed (`reset`, `[messages]`); empty for none. */
  readonly usage: string;
  readonly right: Right;
  /** Whether the channel sees the answer (Discord defers with it and cannot change it afterwards). */
  readonly visibility: 'public' | 'private';
  readonly options: readonly OptionRule[];
}

export interface CommandRule {
  readonly description: string;
  /** What a caller without the right reads (commands whose every action is for everyone have none). */
  readonly forbidden?: Extract<ReplyKey, `${string}.forbidden`>;
  /** The action of a command without subcommands (`/continue`, `/status`). */
  readonly action?: ActionRule;
  /** The subcommands, by name: a `ChatCommand`'s `action` (or `/forget`'s `scope`). */
  readonly subcommands?: Readonly<Record<string, ActionRule>>;
}

/** The fewest messages a `/retrain` may ask for, and the fewest stored messages it trains on. */
export const MIN_RETRAIN_MESSAGES = 10;

const temperature = { field: 'temperature', type: 'number', min: 0, max: 2 } as const;

/** Temperatures every command accepts: `/continue --temperature` and `/temperature <value>`. */
export const temperatureRange = { min: temperature.min, max: temperature.max } as const;

const scale = `${temperature.min} = safest, ${temperature.max} = wildest`;

const continueOptions: readonly OptionRule[] = [
  {
    name: 'prompt',
    field: 'prompt',
    type: 'string',
    description: 'The start of the text',
    required: true,
    min: 1,
    max: 'maxPromptChars',
    flags: [],
  },
  {
    ...temperature,
    name: 'temperature',
    description: `Randomness for this answer only (${scale})`,
    required: false,
    flags: ['--temperature'],
  },
  {
    name: 'words',
    field: 'words',
    type: 'integer',
    description: 'How many words to write',
    required: false,
    min: 1,
    max: 'maxWords',
    flags: ['--words'],
  },
  {
    name: 'min_words',
    field: 'minWords',
    type: 'integer',
    description: 'Write at least this many words before ending',
    required: false,
    min: 0,
    max: 'maxWords',
    flags: ['--min-words'],
  },
];

const everyone = (
  usage: string,
  description: string,
  visibility: 'public' | 'private',
  options: readonly OptionRule[] = [],
): ActionRule => ({ usage, description, right: 'everyone', visibility, options });
const managers = (
  right: Right,
  usage: string,
  description: string,
  options: readonly OptionRule[] = [],
): ActionRule => ({
  usage,
  description,
  right,
  visibility: 'public',
  options,
});

/** A channel's on/off setting (`/settings <name> on|off`): channel managers, its one `state` option. */
const switchSetting = (name: ChannelSwitch, description: string, stateDescription: string): ActionRule =>
  managers('manageChannel', `${name} <on|off>`, description, [
    {
      name: 'state',
      field: 'enabled',
      type: 'switch',
      description: stateDescription,
      required: true,
      min: 0,
      max: 1,
      flags: [],
    },
  ]);

/** The `/settings` subcommand of each on/off setting, in the order `/settings` lists them. */
const switchRules = {
  mentions: switchSetting(
    'mentions',
    'Answer messages that mention the bot here (needs Manage Channels)',
    'on: answer mentions; off: ignore them (the default)',
  ),
  continue_message: switchSetting(
    'continue_message',
    'Let anyone here pick a message to continue (needs Manage Channels)',
    'on: continue chosen messages; off: refuse (the default)',
  ),
  context: switchSetting(
    'context',
    'Read this channel’s recent stored messages before continuing (needs Manage Channels)',
    'on: continue in the light of the conversation; off: from the prompt alone (the default)',
  ),
  learning: switchSetting(
    'learning',
    'Store this channel’s new messages to learn from them (needs Manage Channels)',
    'on: store new messages for context and retraining; off: store nothing new (the default)',
  ),
} as const satisfies Record<ChannelSwitch, ActionRule>;

/** The on/off settings, as `/settings <switch> on|off` names them (from the policy's one list). */
export const SETTINGS_SWITCHES = Object.keys(switchRules) as readonly ChannelSwitch[];

type ValueOption = Pick<OptionRule, 'name' | 'type' | 'min' | 'max' | 'description'> & {
  outOfRange: RangeRefusal;
};

/** Chances of answering a message unprompted that `/settings chatter` accepts (0: off, the default). */
export const chatterRange = { min: 0, max: 0.2 } as const;

/**
 * A channel's numeric setting (`/settings <name> [value]`): channel managers, its one option (the
 * `value` field, optional), usage `[min..max]` or `[name]`; without it the setting goes back to its default.
 */
const valueSetting = (name: ChannelValue, description: string, value: ValueOption): ActionRule => {
  const usage = typeof value.max === 'number' ? `${value.min}..${value.max}` : value.name;
  return managers('manageChannel', `${name} [${usage}]`, description, [
    { ...value, field: 'value', required: false, flags: [] },
  ]);
};

/** The `/settings` subcommand of each numeric setting, in the order `/settings` lists them. */
const valueRules = {
  temperature: valueSetting(
    'temperature',
    'Set this channel’s temperature; no value: the default (needs Manage Channels)',
    { ...temperature, name: 'value', description: scale, outOfRange: 'temperature.outOfRange' },
  ),
  min_words: valueSetting(
    'min_words',
    'Words an answer writes before it may end; no value: the default (needs Manage Channels)',
    {
      name: 'words',
      type: 'integer',
      min: 0,
      max: 'maxWords',
      description: 'At least this many words (fewer if fewer are asked for)',
      outOfRange: 'settings.badMinWords',
    },
  ),
  chatter: valueSetting(
    'chatter',
    'How often the bot answers a message unprompted; no value: off (needs Manage Channels)',
    {
      ...chatterRange,
      name: 'chance',
      type: 'number',
      description: 'The share of messages answered: 0 = off, 0.05 = about one in 20',
      outOfRange: 'settings.badChatter',
    },
  ),
} as const satisfies Record<ChannelValue, ActionRule>;

/** The numeric settings, as `/settings <name> [value]` names them (from the policy's one list). */
export const SETTINGS_VALUES = Object.keys(valueRules) as readonly ChannelValue[];

/**
 * The one command policy: every command, who may run each of its actions, and every option's name,
 * type, description and bounds. The Discord registration, the adapters' parsers and usage lines, the
 * handlers' checks (`check-command.ts`) and the README's command table all derive from it.
 * Changes are announced publicly; look-ups (`/temperature show`, `/status`) and `/forget me` stay private.
 */
export const commandPolicy = {
  continue: {
    description: 'Continue your text with the channel’s language model',
    action: everyone('<prompt>', 'Continue your text with the channel’s language model', 'public', continueOptions),
  },
  temperature: {
    description: 'Show or change this channel’s temperature',
    forbidden: 'temperature.forbidden',
    subcommands: {
      show: everyone('', 'Show this channel’s temperature', 'private'),
      set: managers(
        'manageChannel',
        `<${temperature.min}..${temperature.max}>`,
        'Set this channel’s temperature (needs Manage Channels)',
        [{ ...temperature, name: 'value', field: 'value', description: scale, required: true, flags: [] }],
      ),
      reset: managers('manageChannel', 'reset', 'Back to the default (needs Manage Channels)'),
    },
  },
  status: {
    description: 'Model version, backend and queue of this channel',
    action: everyone('', 'Model version, backend and queue of this channel', 'private'),
  },
  retrain: {
    description: 'Fine-tune this channel’s model on its history (Manage Server)',
    forbidden: 'retrain.forbidden',
    subcommands: {
      start: managers('manageWorkspace', '[messages]', 'Read the channel’s history and retrain', [
        {
          name: 'messages',
          field: 'messages',
          type: 'integer',
          description: 'How many recent messages to read',
          required: false,
          min: MIN_RETRAIN_MESSAGES,
          max: 'maxRetrainMessages',
          flags: [],
        },
      ]),
      cancel: managers('manageWorkspace', 'cancel', 'Stop the running or queued retraining'),
      rollback: managers('manageWorkspace', 'rollback', 'Go back to the previous model version'),
    },
  },
  settings: {
    description: 'Show or change how the bot behaves in this channel',
    forbidden: 'settings.forbidden',
    subcommands: {
      show: everyone('', 'Show this channel’s settings', 'private'),
      ...valueRules,
      ...switchRules,
    },
  },
  forget: {
    description: 'Delete stored data',
    forbidden: 'forget.forbidden',
    subcommands: {
      channel: managers(
        'manageWorkspace',
        'channel',
        'Delete this channel’s model and stored messages (Manage Server)',
      ),
      me: everyone('me', 'Remove your messages from stored data and future training', 'private'),
    },
  },
} as const satisfies Record<ChatCommandName, CommandRule>;

/** The subcommand a `ChatCommand` names, if its command has subcommands. */
export function subcommandOf(command: ChatCommand): string | undefined {
  if (command.name === 'forget') return command.scope;
  return 'action' in command ? command.action : undefined;
}

/** The rule of the action a `ChatCommand` asks for. */
export function actionRule(command: ChatCommand): ActionRule {
  const rule: CommandRule = commandPolicy[command.name];
  const sub = subcommandOf(command);
  const action = sub === undefined ? rule.action : rule.subcommands?.[sub];
  if (!action) throw new Error(`no rule for /${command.name} ${sub ?? ''}`);
  return action;
}

/** The option of `command` (or of its subcommand) that fills `field`. */
export function optionRule(name: ChatCommandName, field: OptionField, subcommand?: string): OptionRule {
  const rule: CommandRule = commandPolicy[name];
  const action = subcommand === undefined ? rule.action : rule.subcommands?.[subcommand];
  const option = action?.options.find((options) => options.field === field);
  if (!option) throw new Error(`no option ${field} of /${name} ${subcommand ?? ''}`);
  return option;
}

/** A bound as a number for this deployment. */
export function boundValue(bound: Bound, limits: Pick<CommandLimits, Exclude<Bound, number>>): number {
  return typeof bound === 'number' ? bound : limits[bound];
}

/**
 * "Continue this message": Discord's message command (the message's Apps menu) and Slack's message
 * shortcut. The chosen message's text is the prompt of a `/continue` (`via: 'message'`): for everyone,
 * like `/continue`, with its rate limits, answered publicly in the channel, where the channel's
 * `continue_message` setting is on (`/settings continue_message on`, channel managers).
 */
export const continueMessagePolicy = {
  /** The menu entry's name (Discord shows it as written; Slack's comes from the app's manifest). */
  name: 'Continue this message',
  description: 'Continue the chosen message with the channel’s language model',
  right: 'everyone',
  visibility: 'public',
} as const satisfies { name: string; description: string; right: Right; visibility: 'public' | 'private' };
