import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';

export type CorpusFormat = 'lines' | 'jsonl';

export interface CorpusMessage {
  text: string;
  author?: string;
  channel?: string;
  timestamp?: string;
  /** First message of a dialogue: the file's first message, the first after a blank line (`lines`), or the first of another channel (`jsonl`). */
  dialogueStart?: true;
}

export interface CorpusSkip {
  /** 1-based line number in the file. */
  line: number;
  reason: string;
}

export interface ReadCorpusOptions {
  /** Called for each line that is skipped as malformed (bad JSON, no `text` string). */
  onSkip?: (skip: CorpusSkip) => void;
  /** Told the bytes of the file read so far, after each line (for progress). */
  onBytes?: (bytesRead: number) => void;
}

function parseJsonLine(line: string): CorpusMessage | string {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return 'not valid JSON';
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'not a JSON object';
  const { text, author, channel, timestamp } = value as Record<string, unknown>;
  if (typeof text !== 'string') return 'no "text" string';
  const message: CorpusMessage = { text };
  if (typeof author === 'string') message.author = author;
  if (typeof channel === 'string') message.channel = channel;
  if (typeof timestamp === 'string') message.timestamp = timestamp;
  return message;
}

/**
 * Streams the messages of a corpus file, line by line, never holding the whole file.
 * `lines`: one message per non-empty line, blank lines between dialogues. `jsonl`: one JSON object
 * per line with at least a `text` string; malformed lines are skipped and reported to `onSkip`.
 * Messages whose text is only whitespace are left out.
 */
export async function* readCorpus(
  path: string,
  format: CorpusFormat,
  { onSkip, onBytes }: ReadCorpusOptions = {},
): AsyncGenerator<CorpusMessage> {
  const input = createReadStream(path, { encoding: 'utf8' });
  const lines = createInterface({ input, crlfDelay: Infinity });
  let lineNumber = 0;
  let dialogueStart = true;
  let channel: string | undefined;
  try {
    for await (const raw of lines) {
      lineNumber++;
      onBytes?.(input.bytesRead);
      const line = lineNumber === 1 && raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw;
      if (line.trim() === '') {
        dialogueStart = true;
        continue;
      }
      let message: CorpusMessage;
      if (format === 'lines') message = { text: line };
      else {
        const parsed = parseJsonLine(line);
        if (typeof parsed === 'string') {
          onSkip?.({ line: lineNumber, reason: parsed });
          continue;
        }
        if (parsed.text.trim() === '') continue;
        if (parsed.channel !== channel) dialogueStart = true;
        channel = parsed.channel;
        message = parsed;
      }
      if (dialogueStart) message.dialogueStart = true;
      dialogueStart = false;
      yield message;
    }
  } finally {
    lines.close();
  }
}
