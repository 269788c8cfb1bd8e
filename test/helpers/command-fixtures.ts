import type { Caller } from '../../src/commands/caller.js';
import { commandLimitsFrom, type CommandLimits } from '../../src/commands/command-limits.js';

/** The limits of a deployment with the usual defaults (temperature 0.8, 40 words, at least 8, at most 200). */
export const testLimits: CommandLimits = commandLimitsFrom({
  DEFAULT_TEMPERATURE: 0.8,
  DEFAULT_WORDS: 40,
  MIN_WORDS: 8,
  MAX_WORDS: 200,
  MAX_PROMPT_CHARS: 1_000,
  RETRAIN_MAX_MESSAGES: 5_000,
});

/** Callers by their rights: a plain member, a channel manager, a server or workspace admin. */
export const member: Caller = { userId: 'u', canManageChannel: false, canManageWorkspace: false };
export const channelManager: Caller = { ...member, canManageChannel: true };
export const admin: Caller = { ...member, canManageChannel: true, canManageWorkspace: true };
