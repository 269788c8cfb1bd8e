import { describe, expect, it } from 'vitest';
import { keptModelDir } from '../../../src/bench/quality-table.js';

describe('keptModelDir', () => {
  it('keeps one room in the folder itself, several each in a subfolder named after the room', () => {
    expect(keptModelDir('/tmp/kept', 'CampCounselors', 1)).toBe('/tmp/kept');
    expect(keptModelDir('/tmp/kept', 'CampCounselors', 3)).toBe('/tmp/kept/CampCounselors');
    expect(keptModelDir('/tmp/kept', '../free code/camp', 3)).toBe('/tmp/kept/___free_code_camp');
  });
});
