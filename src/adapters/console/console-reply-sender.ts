import type { OutboundReply, ReplyAddress, ReplySender } from '../../commands/reply-address.js';

/** Prints answers on the console's output, one reply per block, tagged with the channel when not current. */
export class ConsoleReplySender implements ReplySender {
  constructor(
    private readonly print: (text: string) => void,
    private readonly currentChannel: () => string = () => '',
  ) {}

  async send(address: ReplyAddress, reply: OutboundReply): Promise<void> {
    if (address.platform !== 'console') throw new Error(`console cannot post to ${address.platform}`);
    const tag = address.channelId === this.currentChannel() ? '' : `[#${address.channelId}] `;
    this.print(`${tag}${reply.text}`);
  }
}
