import type { Caller } from '../../commands/caller.js';
import type { ChatCommand } from '../../commands/chat-command.js';
import { checkBounds, checkRights, hasRight } from '../../commands/check-command.js';
import type { CommandLimits } from '../../commands/command-limits.js';
import { actionRule } from '../../commands/command-policy.js';
import { renderReply } from '../../replies/reply-catalogue.js';
import { UserError } from '../../replies/user-error.js';

/**
 * What the caller reads when the command policy refuses the command before Discord's response is
 * deferred (a chosen message without text, bounds, then rights), or `undefined` when it may run. A deferred response's
 * visibility cannot change afterwards, so refusals known at once are answered privately here.
 * A workspace right is named by the Discord permission it maps to (Manage Server).
 */
export function discordRefusal(command: ChatCommand, caller: Caller, limits: CommandLimits): string | undefined {
  if (command.name === 'continue' && command.via === 'message' && command.prompt === '') {
    return renderReply('continueMessage.empty');
  }
  try {
    checkBounds(command, limits);
    const { right } = actionRule(command);
    if (right === 'manageWorkspace' && !hasRight(caller, right)) return renderReply('discord.needsManageServer');
    checkRights(command, caller);
    return undefined;
  } catch (error) {
    if (error instanceof UserError) return error.render();
    throw error;
  }
}
