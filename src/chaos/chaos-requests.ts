import type { ChaosRequest } from './slash-command-load.js';

const CHANNELS = 8;
/** The channel of the requests that load the model in every worker before an experiment's load. */
export const WARM_UP_CHANNEL = 'CWARMUP';
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
 * names its request wherever it is posted. Warm-up requests (`warmUp`) go to `WARM_UP_CHANNEL`
 * and start with `w` instead.
 */
export function chaosRequests(count: number, nonce: string, { warmUp = false } = {}): ChaosRequest[] {
  return Array.from({ length: count }, (_, index) => {
    const channelId = warmUp ? WARM_UP_CHANNEL : `CCHAOS${index % CHANNELS}`;
    const tag = warmUp ? 'W' : '';
    return {
      index,
      prompt: `${warmUp ? 'w' : 'q'}${index}x${nonce} ${OPENINGS[index % OPENINGS.length]}`,
      userId: `U${tag}CHAOS${index}`,
      channelId,
      responseId: `${channelId}-${nonce}${index}`,
    };
  });
}
