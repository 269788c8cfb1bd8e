import { vi } from 'vitest';
import type { ChatAdapter, CommandEntry } from '../../src/commands/chat-adapter.js';
import type { CommandContext } from '../../src/commands/command-context.js';
import type { Caller } from '../../src/commands/caller.js';
import type { OutboundReply, ReplyAddress, ReplySender } from '../../src/commands/reply-address.js';

export interface Posted {
  address: ReplyAddress;
  reply: OutboundReply;
}

/** A platform edge for tests: commands come from the test, posted answers are recorded. */
export class FakeChatAdapter implements ChatAdapter, ReplySender {
  readonly platform = 'discord' as const;
  readonly replyQueue = 'replies-discord';
  readonly sender = this;
  readonly posted: Posted[] = [];
  commands: CommandEntry | undefined;

  async start(commands: CommandEntry): Promise<void> {
    this.commands = commands;
  }

  async stop(): Promise<void> {
    this.commands = undefined;
  }

  async send(address: ReplyAddress, reply: OutboundReply): Promise<void> {
    this.posted.push({ address, reply });
  }

  /** Resolves once at least `count` replies have been posted; fails, saying how many were, after `timeoutMs`. */
  async waitForPosts(count: number, timeoutMs = 20_000): Promise<Posted[]> {
    await vi.waitFor(
      () => {
        if (this.posted.length < count) throw new Error(`${this.posted.length} of ${count} replies posted`);
      },
      { timeout: timeoutMs, interval: 10 },
    );
    return this.posted;
  }
}

export function discordContext(
  channel: string,
  caller: Partial<Caller> = {},
  token = `tok-${Math.random().toString(36).slice(2)}`,
): CommandContext {
  return {
    channel: { platform: 'discord', workspace: 'guild-1', channel },
    caller: { userId: 'user-1', canManageChannel: false, canManageWorkspace: false, ...caller },
    replyTo: {
      platform: 'discord',
      applicationId: 'app-1',
      interactionToken: token,
      channelId: channel,
      expiresAt: Date.now() + 15 * 60_000,
    },
  };
}
