import type { ChatCommand } from './chat-command.js';
import { chatterChance } from './chatter-draw.js';
import { checkBounds } from './check-command.js';
import type { CommandContext, CommandOutcome } from './command-context.js';
import type { CommandLimits } from './command-limits.js';
import type { GenerationQueue } from './generation-queue.js';
import type { RateLimiter } from './rate-limiter.js';
import type { ChannelSettings, SettingsStore } from './settings-store.js';
import { renderReply } from '../replies/reply-catalogue.js';
import { UserError } from '../replies/user-error.js';
import { visiblePrompt } from './visible-prompt.js';

export interface ContinueDeps {
  settings: SettingsStore;
  queue: GenerationQueue;
  rateLimiter: RateLimiter;
  limits: CommandLimits;
  now?: () => number;
}

/**
 * `/continue <prompt> [temperature] [words] [min words]`: checks the policy's bounds, counts against the
 * rate limits, enqueues. A mention (`via: 'mention'`) takes the same path once its channel's `mentions`
 * setting is on; while it is off the outcome is empty (nothing to post). "Continue this message"
 * (`via: 'message'`) takes it once `continue_message` is on; while it is off the caller is told so.
 * Chatter (`via: 'chatter'`) takes it while the channel's `chatter` chance is above 0, else says nothing.
 * Where the channel's `context` setting is on, the job says so (a flag: the messages themselves are
 * read by the worker). The channel's temperature and min words apply where the command gives none.
 */
export async function continueCommand(
  deps: ContinueDeps,
  command: Extract<ChatCommand, { name: 'continue' }>,
  context: CommandContext,
): Promise<CommandOutcome> {
  const stored = command.via === undefined ? undefined : await deps.settings.get(context.channel);
  if (stored && !switchedOn(command, stored)) return { text: '', visibility: 'private' };
  checkBounds(command, deps.limits);
  const prompt = command.prompt.trim();
  const maxWords = command.words ?? deps.limits.defaultWords;

  // Chatter is the bot's own initiative: it counts against the channel, not the author it answers.
  const asker = command.via === 'chatter' ? undefined : context.caller.userId;
  const decision = await deps.rateLimiter.take(context.channel, asker);
  if (!decision.allowed) {
    const retryAfterS = Math.max(1, Math.ceil(decision.retryAfterMs / 1000));
    throw new UserError(decision.scope === 'user' ? 'rateLimit.user' : 'rateLimit.channel', { retryAfterS });
  }

  const settings = stored ?? (await deps.settings.get(context.channel));
  const temperature = command.temperature ?? settings.temperature ?? deps.limits.defaultTemperature;
  context.signal?.throwIfAborted();
  const jobId = await deps.queue.enqueue(
    {
      v: 1,
      channel: context.channel,
      userId: context.caller.userId,
      prompt,
      options: { temperature, maxWords, minWords: minWordsOf(command, settings, deps.limits, maxWords) },
      replyTo: context.replyTo,
      ...(settings.context && { context: true as const }),
      requestedAt: (deps.now ?? Date.now)(),
      ...(command.via && { via: command.via }),
    },
    { signal: context.signal },
  );
  return { text: renderReply('continue.queued'), visibility: 'private', pendingJobId: jobId };
}

/** The command's min words, else the channel's (`/settings min_words`), else the deployment's; at most `maxWords`. */
function minWordsOf(
  command: Extract<ChatCommand, { name: 'continue' }>,
  settings: ChannelSettings,
  limits: CommandLimits,
  maxWords: number,
): number {
  return command.minWords ?? Math.min(settings.minWords ?? limits.defaultMinWords, maxWords);
}

/**
 * Whether the channel's setting lets a mention or a message command through. A mention is answered
 * only where mentions are on (elsewhere it gets no answer at all: `false`); the message command, which
 * someone chose from a menu, is told why not. An empty prompt (nothing visible: `visiblePrompt`) gets its
 * short usage answer.
 */
function switchedOn(command: Extract<ChatCommand, { name: 'continue' }>, stored: ChannelSettings): boolean {
  if (command.via === 'mention' && !stored.mentions) return false;
  if (command.via === 'chatter') return chatterChance(stored) > 0 && visiblePrompt(command.prompt) !== '';
  if (command.via === 'message' && !stored.continue_message) throw new UserError('continueMessage.off');
  if (visiblePrompt(command.prompt) === '') {
    throw new UserError(command.via === 'message' ? 'continueMessage.empty' : 'mention.emptyPrompt');
  }
  return true;
}
