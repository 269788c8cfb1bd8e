import { describe, expect, it } from 'vitest';
import { IdBuffer } from '../../../../src/model/corpus/id-buffer.js';

describe('IdBuffer', () => {
  it('keeps every id in order while it grows, and returns exactly those', () => {
    const buffer = new IdBuffer(2);
    for (let i = 0; i < 1000; i++) buffer.push(i);
    expect(buffer.length).toBe(1000);
    const ids = buffer.toInt32Array();
    expect(ids).toHaveLength(1000);
    expect(ids[0]).toBe(0);
    expect(ids[999]).toBe(999);
  });

  it('returns an empty array when nothing was pushed', () => {
    expect(new IdBuffer().toInt32Array()).toHaveLength(0);
  });
});
