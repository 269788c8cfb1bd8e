import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { corpusFormatOf } from '../../../../src/model/corpus/corpus-format-of.js';
import { readCorpus, type CorpusMessage, type CorpusSkip } from '../../../../src/model/corpus/read-corpus.js';

const fixtures = join(import.meta.dirname, '../../../fixtures/corpus');

async function collect(messages: AsyncIterable<CorpusMessage>): Promise<CorpusMessage[]> {
  const out: CorpusMessage[] = [];
  for await (const message of messages) out.push(message);
  return out;
}

describe('readCorpus', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'read-corpus-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reads one message per non-empty line and marks where dialogues start', async () => {
    const messages = await collect(readCorpus(join(fixtures, 'dialogues.txt'), 'lines'));
    expect(messages).toEqual([
      { text: 'Did you watch the match?', dialogueStart: true },
      { text: 'Yes, it was great!' },
      { text: 'I like cats.', dialogueStart: true },
      { text: 'Me too.' },
      { text: 'Last one here', dialogueStart: true },
    ]);
  });

  it('reads JSON lines with their fields and skips malformed lines, reporting each', async () => {
    const skips: CorpusSkip[] = [];
    const messages = await collect(
      readCorpus(join(fixtures, 'messages.jsonl'), 'jsonl', { onSkip: (skip) => skips.push(skip) }),
    );
    expect(messages).toEqual([
      {
        text: 'hello @bob, see <#123>',
        author: 'ana',
        channel: 'general',
        timestamp: '2024-01-01T10:00:00.000Z',
        dialogueStart: true,
      },
      { text: 'hi ana\nhow are you?', author: 'bob', channel: 'general', timestamp: '2024-01-01T10:01:00.000Z' },
      {
        text: 'anyone around?',
        author: 'ed',
        channel: 'random',
        timestamp: '2024-01-01T11:00:00.000Z',
        dialogueStart: true,
      },
      { text: 'no other fields', dialogueStart: true },
    ]);
    expect(skips).toEqual([
      { line: 3, reason: 'not valid JSON' },
      { line: 4, reason: 'no "text" string' },
      { line: 5, reason: 'not a JSON object' },
      { line: 10, reason: 'not valid JSON' },
    ]);
  });

  it('drops a byte-order mark at the start of the file', async () => {
    const path = join(dir, 'bom.txt');
    await writeFile(path, '\uFEFFfirst\nsecond\n');
    expect((await collect(readCorpus(path, 'lines'))).map((m) => m.text)).toEqual(['first', 'second']);
  });

  it('streams a file larger than its read buffer, message by message', async () => {
    const path = join(dir, 'big.txt');
    const lines = Array.from({ length: 20_000 }, (_, i) => `message number ${i}`);
    await writeFile(path, lines.join('\n'));
    let count = 0;
    let last = '';
    for await (const message of readCorpus(path, 'lines')) {
      count++;
      last = message.text;
    }
    expect(count).toBe(20_000);
    expect(last).toBe('message number 19999');
  });

  it('stops reading when the consumer stops early', async () => {
    const first = [];
    for await (const message of readCorpus(join(fixtures, 'dialogues.txt'), 'lines')) {
      first.push(message.text);
      break;
    }
    expect(first).toEqual(['Did you watch the match?']);
  });

  it('rejects a missing file with the file system error', async () => {
    await expect(collect(readCorpus(join(dir, 'missing.txt'), 'lines'))).rejects.toThrow(/ENOENT/);
  });
});

describe('corpusFormatOf', () => {
  it('infers jsonl from the extension and lines otherwise', () => {
    expect(corpusFormatOf('chat.jsonl')).toBe('jsonl');
    expect(corpusFormatOf('/a/b/CHAT.JSONL')).toBe('jsonl');
    expect(corpusFormatOf('chat.ndjson')).toBe('jsonl');
    expect(corpusFormatOf('base.txt')).toBe('lines');
    expect(corpusFormatOf('corpus')).toBe('lines');
  });
});
