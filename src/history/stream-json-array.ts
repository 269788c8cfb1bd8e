import { createReadStream } from 'node:fs';
import { JSONParser } from '@streamparser/json';

/**
 * Streams the objects of one array in a large JSON document (`{ "messages": [ {...}, ... ] }`) without
 * holding the document: each element object of the array named `arrayKey` at the top level is yielded
 * as soon as it closes. Elements that are not objects are passed over. As before the parser took this
 * job, a document cut short yields the elements it has (the parser is never told the input ended).
 */
export async function* streamJsonArray(path: string, arrayKey: string): AsyncGenerator<unknown> {
  const parser = new JSONParser({ paths: [`$.${arrayKey}.*`], keepStack: false });
  const ready: unknown[] = [];
  parser.onValue = ({ value }) => {
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) ready.push(value);
  };
  for await (const chunk of createReadStream(path, { encoding: 'utf8', highWaterMark: 1 << 16 })) {
    parser.write(chunk as string);
    yield* ready.splice(0);
  }
}
