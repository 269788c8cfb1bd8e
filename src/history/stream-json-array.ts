import { createReadStream } from 'node:fs';

/**
 * Streams the objects of one array in a large JSON document (`{ "messages": [ {...}, ... ] }`) without
 * holding the document: a scanner follows strings and nesting, and each element object of the array
 * named `arrayKey` at the top level is parsed on its own as soon as it closes.
 */
export async function* streamJsonArray(path: string, arrayKey: string): AsyncGenerator<unknown> {
  let depth = 0;
  let inString = false;
  let escaped = false;
  let keyText = '';
  let lastKey: string | undefined;
  let arrayDepth = -1;
  let capture: string[] | undefined;
  let captureStart = 0;
  for await (const chunk of createReadStream(path, { encoding: 'utf8', highWaterMark: 1 << 16 })) {
    const text = chunk as string;
    if (capture) captureStart = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (inString) {
        if (escaped) escaped = false;
        else if (c === 0x5c) escaped = true;
        else if (c === 0x22) {
          inString = false;
          if (depth === 1 && !capture) lastKey = keyText;
        } else if (depth === 1 && !capture && keyText.length < 100) keyText += text[i];
        continue;
      }
      if (c === 0x22) {
        inString = true;
        keyText = '';
      } else if (c === 0x7b || c === 0x5b) {
        if (c === 0x7b && depth === arrayDepth && !capture) {
          capture = [];
          captureStart = i;
        }
        if (c === 0x5b && depth === 1 && lastKey === arrayKey && arrayDepth < 0) arrayDepth = 2;
        depth++;
      } else if (c === 0x7d || c === 0x5d) {
        depth--;
        if (c === 0x7d && capture && depth === arrayDepth) {
          capture.push(text.slice(captureStart, i + 1));
          const json = capture.join('');
          capture = undefined;
          yield JSON.parse(json);
        } else if (c === 0x5d && depth === 1 && arrayDepth === 2) {
          return;
        }
      }
    }
    if (capture) capture.push(text.slice(captureStart));
  }
}
