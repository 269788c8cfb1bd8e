import type { ChatInputCommandInteraction } from 'discord.js';
import type { ChatCommand } from '../../commands/chat-command.js';
import { temperatureRange, type DiscordCommandLimits } from './discord-command-limits.js';
import { renderReply } from '../../replies/reply-catalogue.js';
import { discordReplies } from './discord-replies.js';

export type ParsedDiscordCommand = { ok: true; command: ChatCommand } | { ok: false; problem: string };

/**
 * Turns a slash command's options into a `ChatCommand`, checking every bound again: Discord
 * enforces the declared limits only for commands registered with them, and registrations go stale.
 */
export function parseDiscordCommand(
  interaction: ChatInputCommandInteraction,
  limits: DiscordCommandLimits,
): ParsedDiscordCommand {
  const options = interaction.options;
  const sub = options.getSubcommand(false);
  switch (interaction.commandName) {
    case 'continue': {
      const prompt = (options.getString('prompt') ?? '').trim();
      if (prompt === '') return fail(renderReply('continue.emptyPrompt'));
      if (prompt.length > limits.maxPromptChars)
        return fail(renderReply('continue.promptTooLong', { maxChars: limits.maxPromptChars }));
      const temperature = options.getNumber('temperature') ?? undefined;
      if (temperature !== undefined && !isTemperature(temperature)) return fail(temperatureProblem());
      const words = options.getInteger('words') ?? undefined;
      if (words !== undefined && !isWholeInRange(words, limits.maxWords)) {
        return fail(renderReply('continue.badWords', { max: limits.maxWords }));
      }
      const minWords = options.getInteger('min_words') ?? undefined;
      const wordsAtMost = words ?? limits.maxWords;
      if (minWords !== undefined && !(Number.isInteger(minWords) && minWords >= 0 && minWords <= wordsAtMost)) {
        return fail(renderReply('continue.badMinWords', { max: wordsAtMost }));
      }
      return ok({
        name: 'continue',
        prompt,
        ...(temperature !== undefined ? { temperature } : {}),
        ...(words !== undefined ? { words } : {}),
        ...(minWords !== undefined ? { minWords } : {}),
      });
    }
    case 'temperature': {
      if (sub === 'show') return ok({ name: 'temperature', action: 'show' });
      if (sub === 'reset') return ok({ name: 'temperature', action: 'reset' });
      if (sub === 'set') {
        const value = options.getNumber('value');
        if (value === null || !isTemperature(value)) return fail(temperatureProblem());
        return ok({ name: 'temperature', action: 'set', value });
      }
      break;
    }
    case 'status':
      return ok({ name: 'status' });
    case 'retrain': {
      if (sub === 'cancel' || sub === 'rollback') return ok({ name: 'retrain', action: sub });
      if (sub === 'start') {
        const messages = options.getInteger('messages') ?? undefined;
        if (messages !== undefined && !isWholeInRange(messages, limits.maxRetrainMessages)) {
          return fail(discordReplies.messagesOutOfRange(limits.maxRetrainMessages));
        }
        return ok({ name: 'retrain', action: 'start', ...(messages !== undefined ? { messages } : {}) });
      }
      break;
    }
    case 'forget':
      if (sub === 'channel' || sub === 'me') return ok({ name: 'forget', scope: sub });
      break;
  }
  return fail(discordReplies.unknownCommand);
}

function ok(command: ChatCommand): ParsedDiscordCommand {
  return { ok: true, command };
}

function fail(problem: string): ParsedDiscordCommand {
  return { ok: false, problem };
}

function isTemperature(value: number): boolean {
  return Number.isFinite(value) && value >= temperatureRange.min && value <= temperatureRange.max;
}

function isWholeInRange(value: number, max: number): boolean {
  return Number.isInteger(value) && value >= 1 && value <= max;
}

function temperatureProblem(): string {
  return renderReply('temperature.outOfRange');
}
