import { renderReply } from '../replies/reply-catalogue.js';
import { UserError } from '../replies/user-error.js';
import type { ChannelRef } from './channel-ref.js';
import type { ChatCommand } from './chat-command.js';
import { checkNumber, checkRights } from './check-command.js';
import { optionRule } from './command-policy.js';
import type { CommandContext, CommandOutcome } from './command-context.js';
import type { TrainingControl } from './training-control.js';

export interface RetrainLimits {
  defaultMessages: number;
  maxMessages: number;
  /** Platforms whose history the trainer reads itself (no stored history needed beforehand). */
  collectsHistory?: (platform: ChannelRef['platform']) => boolean;
  /** Whether the channel learns live (`/settings learning on`): then only its stored messages are trained on. */
  learnsLive?: (channel: ChannelRef) => Promise<boolean>;
}

/**
 * `/retrain [messages]`, `/retrain cancel`, `/retrain rollback` (people who can manage the workspace):
 * queue a fine-tuning of the channel's model on its stored history, stop it, or undo the last one.
 * Where the channel learns live, the training uses the messages stored as they arrived and reads no
 * platform history.
 */
export function retrainCommand(training: TrainingControl, limits: RetrainLimits) {
  return async (
    command: Extract<ChatCommand, { name: 'retrain' }>,
    { channel, caller, replyTo, signal }: CommandContext,
  ): Promise<CommandOutcome> => {
    checkRights(command, caller);
    const reply = (text: string): CommandOutcome => ({ text, visibility: 'private' });
    switch (command.action) {
      case 'cancel': {
        const outcome = await training.cancel(channel);
        if (outcome === 'none') return reply(renderReply('retrain.nothingToCancel'));
        return reply(renderReply(outcome === 'removed' ? 'retrain.cancelled' : 'retrain.cancelRequested'));
      }
      case 'rollback': {
        const to = await training.rollback(channel);
        if (to === undefined) return reply(renderReply('retrain.nothingToRollBack'));
        return reply(
          to === 'base' ? renderReply('retrain.rolledBackToBase') : renderReply('retrain.rolledBack', { version: to }),
        );
      }
      case 'start': {
        const messages = command.messages ?? limits.defaultMessages;
        checkNumber(optionRule('retrain', 'messages', 'start'), messages, limits.maxMessages);
        const live = (await limits.learnsLive?.(channel)) === true;
        const collects = !live && (limits.collectsHistory?.(channel.platform) ?? false);
        if (!collects && (await training.storedMessages(channel)) === 0) throw new UserError('retrain.noHistory');
        signal?.throwIfAborted();
        const request = { channel, userId: caller.userId, messages, replyTo, ...(live && { live: true as const }) };
        const result = await training.request(request);
        if (result.status === 'queued' && signal?.aborted) {
          // Queued after the deadline: the user was told "unavailable", so the request is withdrawn.
          await training.cancel(channel).catch(() => undefined);
          signal.throwIfAborted();
        }
        if (result.status === 'already') {
          throw new UserError(result.state === 'running' ? 'retrain.alreadyRunning' : 'retrain.alreadyQueued');
        }
        const text = renderReply('retrain.queued', { messages, position: result.position });
        // The status message starts with it; the progress and the summary replace it in place.
        // (A console on a terminal prints this answer as that status line.)
        return { ...reply(text), ...(await training.showStatus(result.requestId, replyTo, text)) };
      }
    }
  };
}
