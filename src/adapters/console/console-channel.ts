import { clearLine, clearScreenDown, cursorTo, createInterface, moveCursor, type Interface } from 'node:readline';
import type { ChatAdapter, CommandEntry } from '../../commands/chat-adapter.js';
import type { CommandContext } from '../../commands/command-context.js';
import type { StatusUpdate } from '../../commands/reply-address.js';
import type { Logger } from '../../ops/logger.js';
import { replyQueueName } from '../../queue/queue-names.js';
import { chatterUsage, flagsUsage, temperatureUsage } from '../../commands/command-usage.js';
import { renderReply } from '../../replies/reply-catalogue.js';
import { ConsoleReplySender } from './console-reply-sender.js';
import { ConsoleStatusLines } from './console-status-lines.js';
import { parseConsoleLine } from './parse-console-line.js';

/** An answer the console waits for: a `/continue`'s (by job id), or a `/retrain`'s final state. */
export interface PendingAnswer {
  id: string;
  /** Set for a `/retrain`: the status message whose final state this is. */
  statusKey?: string;
  /** Asked for by an earlier console of the session: waited for `drainTimeoutMs` at most, then dropped. */
  inherited?: boolean;
}

/** Where a session's pending answers are kept, so the next console of the session waits for them. */
export interface PendingAnswerStore {
  list(): Promise<PendingAnswer[]>;
  add(answer: PendingAnswer): Promise<void>;
  remove(id: string): Promise<void>;
}

/** What the session asked for and did not get: the reason for a non-zero exit when piped. */
export interface ConsoleOutcome {
  /**
   * Commands the bot could not carry out (unavailable, failed: `CommandOutcome.failed`), and answers
   * that came as an apology or a failed `/retrain`.
   */
  failed: number;
  /** Answers still missing when the console stopped waiting. */
  missing: number;
}

export interface ConsoleChannelOptions {
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
  /** Prompt and acknowledgements when a person types (stdin is a TTY); bare replies when piped. */
  interactive: boolean;
  /** The session's id, held by this console alone (`ConsoleSessionLease`); names its reply queue. */
  sessionId: string;
  logger: Logger;
  initialChannel?: string;
  /**
   * Once input has ended, longest wait for the answers of `/continue`s. A `/retrain` is waited for
   * until it ends, however long, with a progress line at least every `progressEveryMs` when piped.
   */
  drainTimeoutMs?: number;
  progressEveryMs?: number;
  /** Keeps the pending answers beyond this process (a restarted console of the session waits for them). */
  pendingStore?: PendingAnswerStore;
  now?: () => number;
}

/**
 * The terminal channel: reads commands line by line, answers on the output, and (piped) returns once
 * input has ended and every answer it asked for has been printed. The console user has all rights.
 */
export class ConsoleChannel implements ChatAdapter {
  readonly platform = 'console' as const;
  readonly replyQueue: string;
  readonly sender: ConsoleReplySender;
  readonly #pending = new Map<string, PendingAnswer>();
  /** Answers posted before their command's outcome came back: whether each was an apology. */
  readonly #postedEarly = new Map<string, boolean>();
  readonly #outcome: ConsoleOutcome = { failed: 0, missing: 0 };
  readonly #statusLines: ConsoleStatusLines;
  #channel: string;
  #wake: (() => void) | undefined;
  #closed = false;
  #done: Promise<void> | undefined;
  #lines: Interface | undefined;
  #saidCount = 0;

  constructor(private readonly options: ConsoleChannelOptions) {
    this.#channel = options.initialChannel ?? 'general';
    this.replyQueue = replyQueueName({ platform: 'console', sessionId: options.sessionId, channelId: '' });
    this.#statusLines = new ConsoleStatusLines(options.interactive, {
      progressEveryMs: options.progressEveryMs,
      now: options.now,
    });
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
    this.#wake?.();
  }

  /** What was asked for and not got: failures and answers that never came (final once `finished`). */
  get outcome(): Readonly<ConsoleOutcome> {
    return this.#outcome;
  }

  /** Tell the channel an answer was printed (wired to the reply delivery's `onPosted`). */
  posted(reply: { generateJobId: string; outcome: 'answer' | 'apology' }): void {
    const id = reply.generateJobId;
    const apology = reply.outcome === 'apology';
    if (this.#pending.delete(id)) {
      if (apology) this.#outcome.failed += 1;
      this.#forget(id);
    } else {
      this.#postedEarly.set(id, apology);
    }
    this.#wake?.();
  }

  async #await(answer: PendingAnswer): Promise<void> {
    const apology = this.#postedEarly.get(answer.id);
    if (apology !== undefined) {
      this.#postedEarly.delete(answer.id);
      if (apology) this.#outcome.failed += 1;
      return;
    }
    this.#pending.set(answer.id, answer);
    await this.options.pendingStore
      ?.add(answer)
      .catch((error: unknown) => this.options.logger.warn({ err: error }, 'could not keep a pending answer'));
  }

  #forget(id: string): void {
    this.options.pendingStore
      ?.remove(id)
      .catch((error: unknown) => this.options.logger.warn({ err: error }, 'could not drop a pending answer'));
  }

  async #run(commands: CommandEntry): Promise<void> {
    const { output, interactive } = this.options;
    // Answers a previous console of this session was still waiting for when it ended.
    for (const answer of (await this.options.pendingStore?.list().catch(() => [])) ?? []) {
      if (this.#postedEarly.delete(answer.id)) continue;
      this.#pending.set(answer.id, { ...answer, inherited: true });
      if (!interactive && answer.statusKey) this.#statusLines.waiting(answer.statusKey);
    }
    const heartbeat = setInterval(() => {
      for (const line of this.#statusLines.due()) output.write(`${line}\n`);
    }, 1_000);
    try {
      await this.#readLines(commands);
      await this.#waitForPending();
    } finally {
      clearInterval(heartbeat);
    }
  }

  /** Runs the commands of the input, line by line, until it ends (or `/quit`). */
  async #readLines(commands: CommandEntry): Promise<void> {
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
    if (interactive) write(renderReply('console.welcome', { channel: this.#channel, range: temperatureUsage }));
    prompt();
    for await (const line of lines) {
      if (this.#closed) break;
      this.#statusLines.otherOutput();
      const parsed = parseConsoleLine(line);
      if (parsed.kind === 'quit') break;
      if (parsed.kind === 'help')
        write(
          renderReply('console.help', {
            flags: flagsUsage('continue', 'T'),
            range: temperatureUsage,
            chatter: chatterUsage,
          }),
        );
      else if (parsed.kind === 'join') {
        this.#channel = parsed.channel;
        write(renderReply('console.joined', { channel: this.#channel }));
      } else if (parsed.kind === 'error') {
        write(parsed.text);
      } else if (parsed.kind === 'command') {
        const context = this.#context();
        const outcome = await commands.handleCommand(parsed.command, context);
        if (outcome.failed) this.#outcome.failed += 1;
        if (parsed.said !== undefined) await this.#said(commands, parsed.said, context);
        if (outcome.pendingJobId) {
          await this.#await({ id: outcome.pendingJobId, statusKey: outcome.status?.key });
          if (!interactive && outcome.status) this.#statusLines.waiting(outcome.status.key);
          // The first state of a status message (a /retrain) is the line its later states redraw.
          if (interactive && outcome.status) this.#printAnswer(outcome.text, outcome.status);
          else if (interactive) write(outcome.text);
        } else if (outcome.text !== '') {
          // Nothing at all for a mention while the channel's mentions are off.
          write(outcome.text);
        }
      }
      prompt();
    }
    lines.close();
    this.#lines = undefined;
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

  /**
   * Waits for what was asked: `/continue` answers for `drainTimeoutMs` at most, a `/retrain` until it
   * ends. Whatever is still missing then counts in `outcome.missing`.
   */
  async #waitForPending(): Promise<void> {
    const timeoutMs = this.options.drainTimeoutMs ?? 120_000;
    const now = this.options.now ?? Date.now;
    const giveUpAt = now() + timeoutMs;
    const ownRetrain = (a: PendingAnswer): boolean => a.statusKey !== undefined && !a.inherited;
    const waitingForAnswers = (): boolean => [...this.#pending.values()].some((a) => !ownRetrain(a));
    const waitingForRetrain = (): boolean => [...this.#pending.values()].some(ownRetrain);
    while (!this.#closed && (waitingForRetrain() || (waitingForAnswers() && now() < giveUpAt))) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, giveUpAt > now() ? Math.min(1_000, giveUpAt - now()) : 1_000);
        this.#wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.#wake = undefined;
    }
    this.#outcome.missing = this.#pending.size;
    // Answers of this console stay pending for the next one; an earlier console's are given up for good.
    for (const answer of this.#pending.values()) if (answer.inherited) this.#forget(answer.id);
    if (this.#pending.size > 0) {
      this.options.logger.warn({ pending: this.#pending.size, timeoutMs }, 'input ended; some answers never came');
    }
  }

  /** A plain line is a message said in the channel too (live learning); it has its answer already. */
  async #said(commands: CommandEntry, text: string, context: CommandContext): Promise<void> {
    const now = (this.options.now ?? Date.now)();
    this.#saidCount += 1;
    await commands.handleMessage?.({
      channel: context.channel,
      authorId: context.caller.userId,
      text,
      fromBot: false,
      messageId: `${this.options.sessionId}-${now}-${this.#saidCount}`,
      timestampMs: now,
      replyTo: context.replyTo,
      answered: true,
    });
  }

  #context(): CommandContext {
    return {
      channel: { platform: 'console', workspace: 'local', channel: this.#channel },
      caller: { userId: 'console', canManageChannel: true, canManageWorkspace: true },
      replyTo: { platform: 'console', sessionId: this.options.sessionId, channelId: this.#channel },
    };
  }
}
