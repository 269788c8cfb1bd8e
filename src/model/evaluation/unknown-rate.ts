import { UNK_ID } from '../text/special-tokens.js';

/** Share of the ids of a token stream that are `<unk>` (0 for an empty stream). */
export function unknownRate(ids: Int32Array): number {
  let unknown = 0;
  for (const id of ids) if (id === UNK_ID) unknown += 1;
  return ids.length === 0 ? 0 : unknown / ids.length;
}
