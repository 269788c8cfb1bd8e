import { readFile } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { commandLine } from '../../../src/main/model-commands.js';
import type { ModelCard } from '../../../src/model/store/model-card.js';

describe('the command line recorded in a model card', () => {
  it('records path options relative to the working directory, not as absolute paths of the machine that trained', () => {
    const argv = ['train', '--corpus', '/work/repo/corpora/chat.txt', '--out=/work/repo/models/base', '--seed', '1'];
    expect(commandLine(argv, '/work/repo')).toBe('lstm-bot train --corpus corpora/chat.txt --out=models/base --seed 1');
  });

  it('keeps relative paths as given, climbing out of the working directory only as far as needed', () => {
    expect(commandLine(['train', '--corpus', '../shared/c.txt', '--out', '/tmp/base-new'], '/work/repo')).toBe(
      'lstm-bot train --corpus ../shared/c.txt --out ../../tmp/base-new',
    );
    expect(commandLine(['eval', '--model', '/work/repo', '--corpus', './c.txt'], '/work/repo')).toBe(
      'lstm-bot eval --model . --corpus c.txt',
    );
  });
});

describe('the shipped model cards', () => {
  it.each(['models/base', 'test/fixtures/models/tiny'])('%s names no absolute path in its command', async (dir) => {
    const card = JSON.parse(await readFile(join(dir, 'card.json'), 'utf8')) as ModelCard;
    expect(card.command).toMatch(/^lstm-bot train /);
    expect(card.command.split(' ').filter((arg) => isAbsolute(arg.replace(/^--\w+=/, '')))).toEqual([]);
    // Where it was written (models/base was trained into a scratch folder, then copied in: see the README).
    expect(card.command).toMatch(/ --out \S+ /);
  });
});
