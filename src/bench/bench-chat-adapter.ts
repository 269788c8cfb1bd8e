import type { ChatAdapter, CommandEntry } from '../commands/chat-adapter.js';
import type { OutboundReply, ReplyAddress, ReplySender } from '../commands/reply-address.js';
import { replyQueueName } from '../queue/queue-names.js';

/** A console-shaped channel for the benchmark: each posted reply settles the request with its id. */
export class BenchChatAdapter implements ChatAdapter, ReplySender {
  readonly platform = 'console' as const;
  readonly replyQueue: string;
  readonly sender = this;
  readonly #waiting = new Map<string, (reply: OutboundReply) => void>();

  constructor(readonly sessionId: string) {
    this.replyQueue = replyQueueName({ platform: 'console', sessionId, channelId: '' });
  }

  async start(_commands: CommandEntry): Promise<void> {}

  async stop(): Promise<void> {}

  /** Resolves when the reply addressed to `requestId` (its `channelId`) is posted. */
  replyFor(requestId: string): Promise<OutboundReply> {
    return new Promise((resolve) => this.#waiting.set(requestId, resolve));
  }

  async send(address: ReplyAddress, reply: OutboundReply): Promise<void> {
    const settle = this.#waiting.get(address.channelId);
    this.#waiting.delete(address.channelId);
    settle?.(reply);
  }
}
