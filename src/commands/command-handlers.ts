import pTimeout from 'p-timeout';
import type { Logger } from '../ops/logger.js';
import { errorToReply } from '../replies/error-to-reply.js';
import { UserError } from '../replies/user-error.js';
import type { ChatCommand } from './chat-command.js';
import { channelKey, type Platform } from './channel-ref.js';
import type { CommandContext, CommandOutcome } from './command-context.js';
import type { CommandLimits } from './command-limits.js';
import { continueCommand } from './continue-command.js';
import type { GenerationQueue } from './generation-queue.js';
import type { RateLimiter } from './rate-limiter.js';
import type { ReplayGuard } from './replay-guard.js';
import type { SettingsStore } from './settings-store.js';
import { statusCommand } from './status-command.js';
import type { StatusSource } from './status-source.js';
import { settingsCommand } from './settings-command.js';
import { temperatureCommand } from './temperature-command.js';
import { CodedError } from '../errors/coded-error.js';

const REPLAYED = Symbol('replayed');

/** Well under Slack's and Discord's 3 s: the adapters acknowledge only after the command's Redis work. */
const DEFAULT_TIMEOUT_MS = 2_000;

/** A handler for commands built elsewhere (retrain and forget need the training control). */
export type InjectedCommandHandler<N extends ChatCommand['name']> = (
  command: Extract<ChatCommand, { name: N }>,
  context: CommandContext,
) => Promise<CommandOutcome>;

export interface CommandHandlersOptions {
  settings: SettingsStore;
  queue: GenerationQueue;
  rateLimiter: RateLimiter;
  status: StatusSource;
  limits: CommandLimits;
  logger: Logger;
  /** Longest a command may wait on Redis before the user is told the bot is unavailable. */
  timeoutMs?: number;
  /** Told the outcome of every command (metrics): `ok`, or the error code of the refusal or failure. */
  onHandled?: (command: ChatCommand['name'], outcome: string) => void;
  /** Told how long an adapter took to acknowledge a platform request (metrics). */
  onAcknowledged?: (platform: Platform, elapsedMs: number) => void;
  retrain: InjectedCommandHandler<'retrain'>;
  forget: InjectedCommandHandler<'forget'>;
  /** Drops a command whose `context.requestId` was seen before (a replayed Slack request). */
  replayGuard?: ReplayGuard;
  /** Whether the deployment can read a platform's channel messages (`/settings learning on` is refused where not). */
  readsMessages?: (platform: Platform) => boolean;
}

/**
 * The platform-neutral commands, the single entry point of every adapter: an adapter parses its
 * platform's input into a `ChatCommand`, maps the caller's rights, and posts the returned reply.
 * Never throws: every failure comes back as a short private reply from the catalogue, marked `failed`
 * unless it is a refusal (`UserError`). A replayed
 * request (its `requestId` seen before) gets an empty reply: nothing to post.
 */
export class CommandHandlers {
  readonly #options: CommandHandlersOptions;

  constructor(options: CommandHandlersOptions) {
    this.#options = options;
  }

  async handleCommand(command: ChatCommand, context: CommandContext): Promise<CommandOutcome> {
    const log = this.#options.logger.child({
      command: command.name,
      platform: context.channel.platform,
      channel: channelKey(context.channel),
    });
    try {
      const outcome = await withDeadline(
        (signal) => this.#once(command, { ...context, signal }),
        this.#options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      );
      if (outcome === REPLAYED) {
        log.warn('a request that arrived before was ignored (replayed)');
        this.#options.onHandled?.(command.name, 'replayed');
        return { text: '', visibility: 'private' };
      }
      log.debug({ jobId: outcome.pendingJobId }, 'command handled');
      this.#options.onHandled?.(command.name, 'ok');
      return outcome;
    } catch (error) {
      const report = errorToReply(error);
      log[report.level]({ err: error, code: report.code }, 'command refused or failed');
      this.#options.onHandled?.(command.name, report.code);
      return error instanceof UserError ? report.reply : { ...report.reply, failed: true };
    }
  }

  acknowledged(platform: Platform, elapsedMs: number): void {
    this.#options.onAcknowledged?.(platform, elapsedMs);
  }

  async #once(command: ChatCommand, context: CommandContext): Promise<CommandOutcome | typeof REPLAYED> {
    const guard = this.#options.replayGuard;
    if (context.requestId !== undefined && guard && !(await guard.firstSeen(context.requestId))) return REPLAYED;
    return this.#dispatch(command, context);
  }

  #dispatch(command: ChatCommand, context: CommandContext): Promise<CommandOutcome> {
    const options = this.#options;
    switch (command.name) {
      case 'continue':
        return continueCommand(options, command, context);
      case 'temperature':
        return temperatureCommand(options, command, context);
      case 'status':
        return statusCommand(options, context);
      case 'retrain':
        return options.retrain(command, context);
      case 'forget':
        return options.forget(command, context);
      case 'settings':
        return settingsCommand(options, command, context);
    }
  }
}

/**
 * Runs `work` for at most `timeoutMs`; past it, rejects with `SERVICE_UNAVAILABLE` and aborts the signal
 * given to `work`, so that what is still in flight (a job add) does not take effect afterwards.
 */
function withDeadline<T>(work: (signal: AbortSignal) => Promise<T>, timeoutMs: number): Promise<T> {
  const controller = new AbortController();
  // p-timeout also swallows a late failure of `work` after the deadline (expected, not unhandled).
  return pTimeout(work(controller.signal), {
    milliseconds: timeoutMs,
    fallback: () => {
      const error = new CodedError('SERVICE_UNAVAILABLE', `no answer within ${timeoutMs} ms`);
      controller.abort(error);
      throw error;
    },
  });
}
