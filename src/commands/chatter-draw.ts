import { chatterRange } from './command-policy.js';
import type { ChannelSettings } from './settings-store.js';

/** The highest chance of chatter a channel may set (`/settings chatter`'s bound): one message in five. */
export const MAX_CHATTER_CHANCE = chatterRange.max;

/** The channel's chance that the bot replies to a message unprompted: 0 (off) to `MAX_CHATTER_CHANCE`. */
export function chatterChance(settings: ChannelSettings): number {
  const chance = settings.chatter;
  if (chance === undefined || !Number.isFinite(chance) || chance <= 0) return 0;
  return Math.min(chance, MAX_CHATTER_CHANCE);
}

/**
 * Whether a person's message wins chatter's draw: it has text, nothing answered it already (a mention,
 * a console prompt), and `random()` (uniform in [0, 1)) falls under the channel's chance.
 */
export function chatterDraw(
  message: { text: string; answered: boolean },
  chance: number,
  random: () => number,
): boolean {
  if (chance <= 0 || message.answered || message.text.trim() === '') return false;
  return random() < chance;
}
