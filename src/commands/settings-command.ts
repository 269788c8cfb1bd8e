import type { Platform } from './channel-ref.js';
import type { ChannelSwitch, ChannelValue, ChatCommand } from './chat-command.js';
import { checkBounds, checkRights } from './check-command.js';
import type { CommandContext, CommandOutcome } from './command-context.js';
import type { CommandLimits } from './command-limits.js';
import type { ChannelNumber, ChannelSettings, SettingsStore } from './settings-store.js';
import { renderReply } from '../replies/reply-catalogue.js';
import { UserError } from '../replies/user-error.js';

export interface SettingsDeps {
  settings: SettingsStore;
  limits: CommandLimits;
  /** Whether the deployment can read the text of a platform's channel messages (else learning is refused). */
  readsMessages?: (platform: Platform) => boolean;
}

type SettingsCommand = Extract<ChatCommand, { name: 'settings' }>;

const switchReplies = {
  mentions: { on: 'settings.mentionsOn', off: 'settings.mentionsOff' },
  continue_message: { on: 'settings.continueMessageOn', off: 'settings.continueMessageOff' },
  context: { on: 'settings.contextOn', off: 'settings.contextOff' },
  learning: { on: 'settings.learningOn', off: 'settings.learningOff' },
} as const satisfies Record<ChannelSwitch, { on: string; off: string }>;

/** Each numeric setting's field in the store, its default, and its replies once set and once reset. */
const valueSettings = {
  temperature: {
    field: 'temperature',
    byDefault: (limits) => limits.defaultTemperature,
    set: (value) => renderReply('temperature.set', { value }),
    reset: (value) => renderReply('temperature.reset', { value }),
  },
  min_words: {
    field: 'minWords',
    byDefault: (limits) => limits.defaultMinWords,
    set: (value) => renderReply('settings.minWordsSet', { value }),
    reset: (value) => renderReply('settings.minWordsReset', { value }),
  },
  chatter: {
    field: 'chatter',
    byDefault: () => 0,
    // The console never chatters (its lines are answered already): stored all the same, it says so.
    set: (value, platform) =>
      renderReply(platform === 'console' && value > 0 ? 'settings.chatterSetConsole' : 'settings.chatterSet', {
        value,
      }),
    reset: () => renderReply('settings.chatterReset'),
  },
} as const satisfies Record<
  ChannelValue,
  {
    field: ChannelNumber;
    byDefault: (limits: CommandLimits) => number;
    set: (value: number, platform: Platform) => string;
    reset: (byDefault: number) => string;
  }
>;

/**
 * `/settings` shows this channel's settings (everyone); `/settings <switch> on|off` turns one of its
 * on/off settings on or off, `/settings <number> [value]` sets one of its numeric settings or, without a
 * value, brings back its default (channel managers, announced in the channel; bounds from the policy).
 * Turning `learning` on or `chatter` above 0 is refused where the deployment cannot read the channel's
 * messages (Discord without the Message Content intent).
 */
export async function settingsCommand(
  deps: SettingsDeps,
  command: SettingsCommand,
  context: CommandContext,
): Promise<CommandOutcome> {
  if (command.action === 'show') {
    const text = showSettings(await deps.settings.get(context.channel), deps.limits);
    return { text, visibility: 'private' };
  }
  checkRights(command, context.caller);
  if ('enabled' in command) {
    refuseUnreadable(deps, command, context);
    // The learning notice is posted once: turning learning on again does not repeat it.
    if (command.action === 'learning' && command.enabled && (await deps.settings.get(context.channel)).learning) {
      return { text: renderReply('settings.learningAlreadyOn'), visibility: 'public' };
    }
    await deps.settings.setSwitch(context.channel, command.action, command.enabled);
    const key = switchReplies[command.action][command.enabled ? 'on' : 'off'];
    return { text: renderReply(key), visibility: 'public' };
  }
  checkBounds(command, deps.limits);
  refuseUnreadable(deps, command, context);
  const setting = valueSettings[command.action];
  await deps.settings.setNumber(context.channel, setting.field, command.value);
  const text =
    command.value === undefined
      ? setting.reset(setting.byDefault(deps.limits))
      : setting.set(command.value, context.channel.platform);
  return { text, visibility: 'public' };
}

function showSettings(stored: ChannelSettings, limits: CommandLimits): string {
  return renderReply('settings.show', {
    temperature: stored.temperature ?? limits.defaultTemperature,
    temperatureIsDefault: stored.temperature === undefined,
    minWords: stored.minWords ?? limits.defaultMinWords,
    minWordsIsDefault: stored.minWords === undefined,
    mentions: stored.mentions ?? false,
    continueMessage: stored.continue_message ?? false,
    context: stored.context ?? false,
    learning: stored.learning ?? false,
    ...(stored.chatter !== undefined && { chatter: stored.chatter }),
  });
}

/**
 * Refuses a change that needs the text of the channel's messages (learning turned on, chatter above 0)
 * where the deployment does not receive it (Discord without the Message Content intent).
 */
function refuseUnreadable(deps: SettingsDeps, command: SettingsCommand, context: CommandContext): void {
  const needsText =
    'enabled' in command
      ? command.action === 'learning' && command.enabled
      : command.action === 'chatter' && (command.value ?? 0) > 0;
  if (needsText && deps.readsMessages?.(context.channel.platform) === false) {
    throw new UserError('settings.messagesUnreadable');
  }
}
