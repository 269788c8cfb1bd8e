import type { Platform } from './channel-ref.js';
import type { ChannelSwitch, ChatCommand } from './chat-command.js';
import { checkRights } from './check-command.js';
import type { CommandContext, CommandOutcome } from './command-context.js';
import type { CommandLimits } from './command-limits.js';
import type { SettingsStore } from './settings-store.js';
import { renderReply } from '../replies/reply-catalogue.js';
import { UserError } from '../replies/user-error.js';

export interface SettingsDeps {
  settings: SettingsStore;
  limits: CommandLimits;
  /** Whether the deployment can read the text of a platform's channel messages (else learning is refused). */
  readsMessages?: (platform: Platform) => boolean;
}

const switchReplies = {
  mentions: { on: 'settings.mentionsOn', off: 'settings.mentionsOff' },
  continue_message: { on: 'settings.continueMessageOn', off: 'settings.continueMessageOff' },
  context: { on: 'settings.contextOn', off: 'settings.contextOff' },
  learning: { on: 'settings.learningOn', off: 'settings.learningOff' },
} as const satisfies Record<ChannelSwitch, { on: string; off: string }>;

/**
 * `/settings` shows this channel's settings (everyone); `/settings <switch> on|off` turns one of its
 * on/off settings on or off (channel managers, announced in the channel): `mentions` answering mentions
 * of the bot, `continue_message` "Continue this message", `context` priming continuations with the
 * channel's recent stored messages, `learning` storing the channel's new messages (refused where the
 * deployment cannot read them: Discord without the Message Content intent).
 */
export async function settingsCommand(
  deps: SettingsDeps,
  command: Extract<ChatCommand, { name: 'settings' }>,
  context: CommandContext,
): Promise<CommandOutcome> {
  if (command.action === 'show') {
    const stored = await deps.settings.get(context.channel);
    const text = renderReply('settings.show', {
      temperature: stored.temperature ?? deps.limits.defaultTemperature,
      temperatureIsDefault: stored.temperature === undefined,
      minWords: deps.limits.defaultMinWords,
      mentions: stored.mentions ?? false,
      continueMessage: stored.continue_message ?? false,
      context: stored.context ?? false,
      learning: stored.learning ?? false,
    });
    return { text, visibility: 'private' };
  }
  checkRights(command, context.caller);
  if (command.action === 'learning' && command.enabled && deps.readsMessages?.(context.channel.platform) === false) {
    // Discord without the Message Content intent: every stored message would be empty.
    throw new UserError('settings.learningUnavailable');
  }
  await deps.settings.setSwitch(context.channel, command.action, command.enabled);
  const key = switchReplies[command.action][command.enabled ? 'on' : 'off'];
  return { text: renderReply(key), visibility: 'public' };
}
