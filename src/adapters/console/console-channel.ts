import { clearLine, clearScreenDown, cursorTo, createInterface, moveCursor, type Interface } from 'node:readline';
import type { ChatAdapter, CommandEntry } from '../../commands/chat-adapter.js';
import type { CommandContext } from '../../commands/command-context.js';
import type { StatusUpdate } from '../../commands/reply-address.js';
import type { Logger } from '../../ops/logger.js';
import { replyQueueName } from '../../queue/queue-names.js';
import { renderReply } from '../../replies/reply-catalogue.js';
import { ConsoleReplySender } from './console-reply-sender.js';
import { ConsoleStatusLines } from './console-status-lines.js';
import { parseConsoleLine } from './parse-console-line.js';

export interface ConsoleChannelOptions {
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
  /** Prompt and acknowledgements when a person types (stdin is a TTY); bare replies when piped. */
  interactive: boolean;
  /** Stable across restarts so a restarted console prints the answers still pending for it. */
  sessionId: string;
  logger: Logger;
  initialChannel?: string;
  /** Longest wait for pending answers once input has ended. */
  drainTimeoutMs?: number;
}

/**
 * The terminal channel: reads commands line by line, answers on the output, and (piped) returns once
 * input has ended and every answer it asked for has been printed. The console user has all rights.
 */
export class ConsoleChannel implements ChatAdapter {
  readonly platform = 'console' as const;
  readonly replyQueue: string;
  readonly sender: ConsoleReplySender;
  readonly #pending = new Set<string>();
  readonly #postedEarly = new Set<string>();
  readonly #statusLines: ConsoleStatusLines;
  #channel: string;
  #drained: (() => void) | undefined;
  #closed = false;
  #done: Promise<void> | undefined;
  #lines: Interface | undefined;

  constructor(private readonly options: ConsoleChannelOptions) {
    this.#channel = options.initialChannel ?? 'general';
    this.replyQueue = replyQueueName({ platform: 'console', sessionId: options.sessionId, channelId: '' });
    this.#statusLines = new ConsoleStatusLines(options.interactive);
    this.sender = new ConsoleReplySender(
      (text, status) => this.#printAnswer(text, status),
      () => this.#channel,
    );
  }

  /** Starts reading; `finished` resolves when the session is over. */
  async start(commands: CommandEntry): Promise<void> {
    this.#done = this.#run(commands);
  }

  get finished(): Promise<void> {
    return this.#done ?? Promise.resolve();
  }

  async stop(): Promise<void> {
    this.#closed = true;
    this.#drained?.();
  }

  /** Tell the channel an answer was printed (wired to the reply delivery's `onPosted`). */
  posted(generateJobId: string): void {
    if (!this.#pending.delete(generateJobId)) this.#postedEarly.add(generateJobId);
    if (this.#pending.size === 0) this.#drained?.();
  }

  async #run(commands: CommandEntry): Promise<void> {
    const { input, output, interactive } = this.options;
    const lines = createInterface({ input, output: interactive ? output : undefined, terminal: interactive });
    this.#lines = lines;
    lines.on('SIGINT', () => lines.close()); // Ctrl-C on a terminal ends the session like Ctrl-D
    const write = (text: string) => {
      this.#statusLines.otherOutput();
      output.write(`${text}\n`);
    };
    const prompt = () => {
      if (!interactive) return;
      lines.setPrompt(`#${this.#channel}> `);
      lines.prompt();
    };
    if (interactive) write(renderReply('console.welcome', { channel: this.#channel }));
    prompt();
    for await (const line of lines) {
      if (this.#closed) break;
      this.#statusLines.otherOutput();
      const parsed = parseConsoleLine(line);
      if (parsed.kind === 'quit') break;
      if (parsed.kind === 'help') write(renderReply('console.help'));
      else if (parsed.kind === 'join') {
        this.#channel = parsed.channel;
        write(renderReply('console.joined', { channel: this.#channel }));
      } else if (parsed.kind === 'error') {
        write(
          parsed.key === 'console.unknownCommand'
            ? renderReply(parsed.key, { command: parsed.detail })
            : parsed.key === 'console.usage'
              ? renderReply(parsed.key, { usage: parsed.detail })
              : renderReply(parsed.key),
        );
      } else if (parsed.kind === 'command') {
        const outcome = await commands.handleCommand(parsed.command, this.#context());
        if (outcome.pendingJobId) {
          if (!this.#postedEarly.delete(outcome.pendingJobId)) this.#pending.add(outcome.pendingJobId);
          // The first state of a status message (a /retrain) is the line its later states redraw.
          if (interactive && outcome.status) this.#printAnswer(outcome.text, outcome.status);
          else if (interactive) write(outcome.text);
        } else {
          write(outcome.text);
        }
      }
      prompt();
    }
    lines.close();
    this.#lines = undefined;
    await this.#waitForPending();
  }

  /**
   * An answer arriving while the user types: printed above the prompt line, which is then redrawn.
   * A new state of the status line printed last replaces it in place.
   */
  #printAnswer(text: string, status?: StatusUpdate): void {
    const { output, interactive } = this.options;
    const terminal = output as NodeJS.WriteStream;
    const plan = this.#statusLines.plan(text, status, terminal.columns ?? 80);
    if (plan.action === 'skip') return;
    if (!interactive || !this.#lines) {
      output.write(`${text}\n`);
      return;
    }
    clearLine(terminal, 0);
    cursorTo(terminal, 0);
    if (plan.action === 'redraw') {
      moveCursor(terminal, 0, -plan.rows);
      clearScreenDown(terminal);
    }
    output.write(`${text}\n`);
    this.#lines.prompt(true);
  }

  async #waitForPending(): Promise<void> {
    if (this.#pending.size === 0 || this.#closed) return;
    const timeoutMs = this.options.drainTimeoutMs ?? 120_000;
    let timer: NodeJS.Timeout | undefined;
    await new Promise<void>((resolve) => {
      this.#drained = resolve;
      timer = setTimeout(resolve, timeoutMs);
    });
    clearTimeout(timer);
    if (this.#pending.size > 0) {
      this.options.logger.warn({ pending: this.#pending.size, timeoutMs }, 'input ended; some answers never came');
    }
  }

  #context(): CommandContext {
    return {
      channel: { platform: 'console', workspace: 'local', channel: this.#channel },
      caller: { userId: 'console', canManageChannel: true, canManageWorkspace: true },
      replyTo: { platform: 'console', sessionId: this.options.sessionId, channelId: this.#channel },
    };
  }
}
