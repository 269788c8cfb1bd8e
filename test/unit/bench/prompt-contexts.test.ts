import { describe, expect, it } from 'vitest';
import { promptContexts, promptSourceIndices } from '../../../src/bench/room-replies.js';

describe("the quality bench's contexts (replies with context on)", () => {
  it('gives each prompt the stored messages just before its own message, as a worker reads them, never the message itself', async () => {
    const stored = Array.from({ length: 30 }, (_, k) => ({ text: `message number ${k} here`, author: `u${k % 3}` }));
    const heldOut = stored.slice(20).map((message) => message.text);
    const indices = promptSourceIndices(heldOut, 3, 2);
    expect(indices).toEqual([0, 3, 6]);
    const contexts = await promptContexts(stored, 20, indices);
    // At most 8 messages, the newest last, up to the prompt's message (20 + i) and not including it.
    expect(contexts).toEqual(indices.map((i) => stored.slice(20 + i - 8, 20 + i).map((message) => message.text)));
    // Early in the history there are fewer before it.
    expect(await promptContexts(stored, 2, [0, 1])).toEqual([
      ['message number 0 here', 'message number 1 here'],
      ['message number 0 here', 'message number 1 here', 'message number 2 here'],
    ]);
  });

  it("writes an author's name that addresses them as the user placeholder, as the retraining does", async () => {
    const stored = [
      { text: 'how do i install it', author: 'ana' },
      { text: 'ana: try the installer', author: 'bob' },
      { text: 'thanks a lot everyone', author: 'ana' },
    ];
    const [context] = await promptContexts(stored, 2, [0]);
    expect(context).toHaveLength(2);
    expect(context![1]).not.toContain('ana');
  });
});
