/**
 * What a user asked for, parsed by an adapter from its platform's form (Discord options, Slack text,
 * a console line) into one platform-neutral shape that the command handlers take.
 */
export type ChatCommand =
  | {
      name: 'continue';
      prompt: string;
      temperature?: number;
      words?: number;
      minWords?: number;
      /** `mention`: the bot was mentioned (answered only where the channel's `mentions` setting is on). */
      via?: 'mention';
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
  | { name: 'settings'; action: ChannelSwitch; enabled: boolean };

/**
 * The on/off settings of a channel (`/settings <name> on|off`, channel managers): `mentions` answers
 * messages that mention the bot, `context` primes the model with the channel's recent stored messages.
 */
export type ChannelSwitch = 'mentions' | 'context';

export type ChatCommandName = ChatCommand['name'];
