import { describe, expect, it } from 'vitest';
import { chatterChance, chatterDraw, MAX_CHATTER_CHANCE } from '../../../src/commands/chatter-draw.js';

describe('chatterChance', () => {
  it('is 0 unless the channel set a positive chance, and never above the most allowed', () => {
    expect(chatterChance({})).toBe(0);
    expect(chatterChance({ chatter: 0 })).toBe(0);
    expect(chatterChance({ chatter: -0.1 })).toBe(0);
    expect(chatterChance({ chatter: Number.NaN })).toBe(0);
    expect(chatterChance({ chatter: 0.05 })).toBe(0.05);
    expect(chatterChance({ chatter: 0.9 })).toBe(MAX_CHATTER_CHANCE);
  });
});

describe('chatterDraw', () => {
  const message = { text: 'the weather today', answered: false };

  it('wins when the draw falls under the chance', () => {
    expect(chatterDraw(message, 0.2, () => 0.19)).toBe(true);
    expect(chatterDraw(message, 0.2, () => 0.2)).toBe(false);
    expect(chatterDraw(message, 0.2, () => 0.9)).toBe(false);
  });

  it('never wins at chance 0, for a message already answered, or one without text', () => {
    const never = () => 0;
    expect(chatterDraw(message, 0, never)).toBe(false);
    expect(chatterDraw({ ...message, answered: true }, 0.2, never)).toBe(false);
    expect(chatterDraw({ text: '  ', answered: false }, 0.2, never)).toBe(false);
  });

  it('does not draw when it cannot win', () => {
    let draws = 0;
    chatterDraw({ ...message, answered: true }, 0.2, () => (draws += 1));
    expect(draws).toBe(0);
  });
});
