import type { ChaosRequest } from './slash-command-load.js';

const CHANNELS = 8;
const OPENINGS = [
  'did you see the game last night',
  'i think we should',
  'the weather today is',
  'what do you think about',
  'when i was young',
  'my favourite thing about',
];

/**
 * `count` requests spread over a few channels, each from its own user with its own `response_url`
 * id, and a prompt that starts with `q<index>x<nonce>` so an answer (which starts with its prompt)
 * names its request wherever it is posted.
 */
export function chaosRequests(count: number, nonce: string): ChaosRequest[] {
  return Array.from({ length: count }, (_, index) => {
    const channelId = `CCHAOS${index % CHANNELS}`;
    return {
      index,
      prompt: `q${index}x${nonce} ${OPENINGS[index % OPENINGS.length]}`,
      userId: `UCHAOS${index}`,
      channelId,
      responseId: `${channelId}-${nonce}${index}`,
    };
  });
}
