import type { OutboundReply, ReplyAddress, ReplySender, StatusUpdate } from '../../commands/reply-address.js';

/**
 * Prints answers on the console's output, one reply per block, tagged with the channel when not current;
 * states of a status message go to `print` with their status, for the channel to show in place.
 */
export class ConsoleReplySender implements ReplySender {
  constructor(
    private readonly print: (text: string, status?: StatusUpdate) => void,
    private readonly currentChannel: () => string = () => '',
  ) {}

  async send(address: ReplyAddress, reply: OutboundReply): Promise<void> {
    if (address.platform !== 'console') throw new Error(`console cannot post to ${address.platform}`);
    const tag = address.channelId === this.currentChannel() ? '' : `[#${address.channelId}] `;
    this.print(`${tag}${reply.text}`, reply.status);
  }
}
