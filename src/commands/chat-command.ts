/**
 * What a user asked for, parsed by an adapter from its platform's form (Discord options, Slack text,
 * a console line) into one platform-neutral shape that the command handlers take.
 */
/** How a continuation was asked for when not by `/continue` itself (see `ChatCommand`'s `via`). */
export const CONTINUE_VIAS = ['mention', 'message', 'chatter'] as const;
export type ContinueVia = (typeof CONTINUE_VIAS)[number];

export type ChatCommand =
  | {
      name: 'continue';
      prompt: string;
      temperature?: number;
      words?: number;
      minWords?: number;
      /**
       * `mention`: the bot was mentioned (answered only where the channel's `mentions` setting is on).
       * `message`: "Continue this message" on a chosen message (refused where `continue_message` is off).
       * `chatter`: the bot answers a message unprompted (only where the channel's `chatter` chance is above 0).
       */
      via?: ContinueVia;
    }
  | { name: 'temperature'; action: 'show' }
  | { name: 'temperature'; action: 'set'; value: number }
  | { name: 'temperature'; action: 'reset' }
  | { name: 'status' }
  | { name: 'retrain'; action: 'start'; messages?: number }
  | { name: 'retrain'; action: 'cancel' }
  | { name: 'retrain'; action: 'rollback' }
  | { name: 'forget'; scope: 'channel' | 'me' }
  | { name: 'settings'; action: 'show' }
  | { name: 'settings'; action: ChannelSwitch; enabled: boolean }
  /** `value` absent: back to the default. */
  | { name: 'settings'; action: ChannelValue; value?: number };

/**
 * The on/off settings of a channel, by their subcommand names (`/settings <name> on|off`, channel
 * managers), each off until a channel manager turns it on: `mentions` answers messages that mention the
 * bot, `continue_message` answers "Continue this message", `context` primes the model with the channel's
 * recent stored messages, `learning` stores the channel's new messages as they arrive (for context and
 * `/retrain`). The policy lists them (`SETTINGS_SWITCHES`).
 */
export type ChannelSwitch = 'mentions' | 'continue_message' | 'context' | 'learning';

/**
 * The numeric settings of a channel, by their subcommand names (`/settings <name> [value]`, channel
 * managers; no value: the default again): `temperature` (the same as `/temperature`), `min_words` the
 * fewest words a continuation writes before it may end, `chatter` the chance of answering a message
 * unprompted. The policy lists them (`SETTINGS_VALUES`).
 */
export type ChannelValue = 'temperature' | 'min_words' | 'chatter';

export type ChatCommandName = ChatCommand['name'];
