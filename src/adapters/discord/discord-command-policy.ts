import type { ChatCommand } from '../../commands/chat-command.js';

export interface DiscordCommandPolicy {
  /** The right checked before anything else: `channel` = Manage Channels, `workspace` = Manage Server. */
  needs: 'channel' | 'workspace' | null;
  /** How the response is deferred; Discord cannot change it afterwards. */
  visibility: 'public' | 'private';
}

/**
 * Who may run a command and whether the channel sees the answer. Changes are announced publicly;
 * look-ups (`/temperature show`, `/status`) and `/forget me` stay private to the caller.
 */
export function discordCommandPolicy(command: ChatCommand): DiscordCommandPolicy {
  switch (command.name) {
    case 'continue':
      return { needs: null, visibility: 'public' };
    case 'temperature':
      return command.action === 'show'
        ? { needs: null, visibility: 'private' }
        : { needs: 'channel', visibility: 'public' };
    case 'status':
      return { needs: null, visibility: 'private' };
    case 'retrain':
      return { needs: 'workspace', visibility: 'public' };
    case 'forget':
      return command.scope === 'me'
        ? { needs: null, visibility: 'private' }
        : { needs: 'workspace', visibility: 'public' };
  }
}
