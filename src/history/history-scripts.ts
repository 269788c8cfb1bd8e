import type { Redis } from 'ioredis';

/**
 * The Lua scripts that make appending to a stored history and `/forget me` atomic against each other.
 *
 * Every history list has a counter `<prefix>:history-pushed:<channel key>` of the messages ever pushed
 * onto it (set to the list's length the first time a script meets a list without one). The list's head
 * then has the absolute position `pushed - length`, so a position stays the same while the list is
 * appended to, trimmed from the head, or has messages removed behind it: `/forget me` can walk a large
 * list in bounded chunks, one script call each, without skipping or repeating a message.
 */
const APPEND = `
local list, pushed, optout = KEYS[1], KEYS[2], KEYS[3]
if redis.call('EXISTS', pushed) == 0 then redis.call('SET', pushed, redis.call('LLEN', list)) end
local n = 0
for i = 2, #ARGV, 2 do
  local author = ARGV[i]
  if author == '' or redis.call('SISMEMBER', optout, author) == 0 then
    redis.call('RPUSH', list, ARGV[i + 1])
    n = n + 1
  end
end
if n > 0 then
  redis.call('INCRBY', pushed, n)
  redis.call('LTRIM', list, -tonumber(ARGV[1]), -1)
end
return n
`;

/** Removes one author's messages from one chunk of a list: returns { next position (-1: done), removed }. */
const FORGET_CHUNK = `
local list, pushed = KEYS[1], KEYS[2]
local author, position, size = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3])
local length = redis.call('LLEN', list)
if length == 0 then return { -1, 0 } end
if redis.call('EXISTS', pushed) == 0 then redis.call('SET', pushed, length) end
local head = tonumber(redis.call('GET', pushed)) - length
local from = math.max(0, position - head)
if from >= length then return { -1, 0 } end
local rows = redis.call('LRANGE', list, from, from + size - 1)
local removed = 0
for i, row in ipairs(rows) do
  local ok, message = pcall(cjson.decode, row)
  if ok and type(message) == 'table' and message.author == author then
    redis.call('LSET', list, from + i - 1, ARGV[4])
    removed = removed + 1
  end
end
if removed > 0 then redis.call('LREM', list, removed, ARGV[4]) end
return { head + from + #rows, removed }
`;

/** Marks a message for removal inside one script call; never a JSON message. */
const TOMBSTONE = '\u0000forgotten';

interface HistoryCommands {
  lstmHistoryAppend(list: string, pushed: string, optOut: string, ...args: (string | number)[]): Promise<number>;
  lstmHistoryForgetChunk(
    list: string,
    pushed: string,
    author: string,
    position: number,
    size: number,
    tombstone: string,
  ): Promise<[number, number]>;
}

export interface HistoryScripts {
  /** Appends the rows whose author (`undefined`: unknown) is not opted out; trims to `max`. Returns how many. */
  append(
    keys: { list: string; pushed: string; optOut: string },
    max: number,
    rows: readonly { author?: string; row: string }[],
  ): Promise<number>;
  /** Removes `author`'s messages from the chunk at `position`; `next` is -1 at the end of the list. */
  forgetChunk(
    keys: { list: string; pushed: string },
    author: string,
    position: number,
    size: number,
  ): Promise<{ next: number; removed: number }>;
}

/** The scripts on `redis` (defined on the connection once; ioredis sends them by SHA after the first call). */
export function historyScripts(redis: Redis): HistoryScripts {
  const commands = redis as unknown as Partial<HistoryCommands> & HistoryCommands;
  if (typeof (redis as unknown as Partial<HistoryCommands>).lstmHistoryAppend !== 'function') {
    redis.defineCommand('lstmHistoryAppend', { numberOfKeys: 3, lua: APPEND });
    redis.defineCommand('lstmHistoryForgetChunk', { numberOfKeys: 2, lua: FORGET_CHUNK });
  }
  return {
    append: (keys, max, rows) =>
      commands.lstmHistoryAppend(
        keys.list,
        keys.pushed,
        keys.optOut,
        max,
        ...rows.flatMap(({ author, row }) => [author ?? '', row]),
      ),
    async forgetChunk(keys, author, position, size) {
      const [next, removed] = await commands.lstmHistoryForgetChunk(
        keys.list,
        keys.pushed,
        author,
        position,
        size,
        TOMBSTONE,
      );
      return { next: Number(next), removed: Number(removed) };
    },
  };
}
