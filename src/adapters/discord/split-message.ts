/** Discord's limit for a message's content. */
export const DISCORD_MAX_MESSAGE_CHARS = 2_000;

/**
 * Cuts text into pieces of at most `maxChars`, preferring a line break, then a space (in the second
 * half of a piece), and never splitting a surrogate pair.
 */
export function splitMessage(text: string, maxChars: number = DISCORD_MAX_MESSAGE_CHARS): string[] {
  const pieces: string[] = [];
  let rest = text;
  while (rest.length > maxChars) {
    const window = rest.slice(0, maxChars + 1);
    const half = maxChars / 2;
    let cut = window.lastIndexOf('\n');
    if (cut < half) cut = window.lastIndexOf(' ');
    if (cut < half) {
      cut = maxChars;
      const code = rest.charCodeAt(cut - 1);
      if (code >= 0xd800 && code <= 0xdbff) cut -= 1;
    }
    pieces.push(rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut).replace(/^[ \n]/, '');
  }
  pieces.push(rest);
  return pieces.filter((piece, i) => piece !== '' || i === 0);
}
