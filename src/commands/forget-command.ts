import { renderReply } from '../replies/reply-catalogue.js';
import { checkRights } from './check-command.js';
import type { ChatCommand } from './chat-command.js';
import type { CommandContext, CommandOutcome } from './command-context.js';
import type { TrainingControl } from './training-control.js';

/**
 * `/forget channel` (people who can manage the workspace): the channel's model and stored messages go.
 * `/forget me` (anyone, once a minute): the caller's stored messages go (in every workspace of the
 * platform), with the texts of their finished requests in the queues, and they are left out of all
 * future training.
 */
export function forgetCommand(training: TrainingControl) {
  return async (
    command: Extract<ChatCommand, { name: 'forget' }>,
    { channel, caller }: CommandContext,
  ): Promise<CommandOutcome> => {
    checkRights(command, caller);
    if (command.scope === 'me') {
      const removed = await training.forgetUser(channel.platform, channel.workspace, caller.userId);
      return { text: renderReply('forget.me', { removed }), visibility: 'private' };
    }
    await training.forgetChannel(channel);
    return { text: renderReply('forget.channel'), visibility: 'private' };
  };
}
