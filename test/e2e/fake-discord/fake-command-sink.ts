import type { CommandEntry } from '../../../src/commands/chat-adapter.js';
import type { ChatCommand } from '../../../src/commands/chat-command.js';
import type { CommandContext, CommandOutcome } from '../../../src/commands/command-context.js';
import type { OutboundReply } from '../../../src/commands/reply-address.js';

export interface ReceivedCommand {
  command: ChatCommand;
  context: CommandContext;
}

/**
 * Records every command and answers with what `answer` returns; `undefined` stands for a queued job
 * (the worker answers later), as `CommandHandlers` does for `/continue`.
 */
export class FakeCommandSink implements CommandEntry {
  readonly received: ReceivedCommand[] = [];
  readonly #waiters: ((received: ReceivedCommand) => void)[] = [];

  constructor(
    private readonly answer: (
      received: ReceivedCommand,
    ) => Promise<OutboundReply | undefined> | OutboundReply | undefined,
  ) {}

  async handleCommand(command: ChatCommand, context: CommandContext): Promise<CommandOutcome> {
    const received = { command, context };
    this.received.push(received);
    for (const resolve of this.#waiters.splice(0)) resolve(received);
    const reply = await this.answer(received);
    return reply ?? { text: 'Thinking…', visibility: 'private', pendingJobId: `fake-job-${this.received.length}` };
  }

  nextCommand(): Promise<ReceivedCommand> {
    return new Promise((resolve) => this.#waiters.push(resolve));
  }
}
