import { describe, expect, test } from 'vitest';
import { splitMessage } from '../../../../src/adapters/discord/split-message.js';

describe('splitMessage', () => {
  test('leaves a short text whole', () => {
    expect(splitMessage('hello world')).toEqual(['hello world']);
  });

  test('cuts at the last space before the limit and loses no word', () => {
    const text = Array.from({ length: 1_000 }, (_, i) => `w${i}`).join(' ');
    const pieces = splitMessage(text);
    expect(pieces.length).toBeGreaterThan(1);
    for (const piece of pieces) expect(piece.length).toBeLessThanOrEqual(2_000);
    expect(pieces.join(' ')).toBe(text);
  });

  test('prefers a line break in the second half of a piece', () => {
    const text = `${'a '.repeat(30)}\n${'b '.repeat(10)}`;
    expect(splitMessage(text, 70)[0]).toBe('a '.repeat(30).trimEnd());
  });

  test('cuts a text without spaces hard, never inside a surrogate pair', () => {
    const text = '😀'.repeat(10);
    const pieces = splitMessage(text, 5);
    expect(pieces.join('')).toBe(text);
    for (const piece of pieces) expect(piece.length).toBeLessThanOrEqual(5);
    for (const piece of pieces) expect(piece).toMatch(/^(😀)+$/u);
  });
});
