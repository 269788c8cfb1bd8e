import type { Redis } from 'ioredis';
import { channelKey, type ChannelRef } from '../commands/channel-ref.js';
import type { ChatterGate } from '../commands/chatter-gate.js';

/**
 * Per channel, two keys: `<prefix>:chatter-cooldown:<channel key>` (set NX with the cooldown as its
 * expiry when the bot chatters, so of several bot processes one wins) and `<prefix>:chatter-last:<channel key>`
 * ("the bot chattered last": the next person's message takes it away and is not chattered at). One
 * script, so every bot process agrees.
 */
const SCRIPT = `
local cooldown, last = KEYS[1], KEYS[2]
local afterChatter = redis.call('DEL', last) == 1
if afterChatter or ARGV[1] ~= '1' then return 0 end
local ms = tonumber(ARGV[2])
if ms > 0 and not redis.call('SET', cooldown, '1', 'PX', ms, 'NX') then return 0 end
redis.call('SET', last, '1', 'PX', tonumber(ARGV[3]))
return 1
`;

/** How long "the bot chattered last" is remembered when nobody writes after it. */
const LAST_MEMORY_MS = 24 * 60 * 60_000;

export class RedisChatterGate implements ChatterGate {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    /** `CHATTER_COOLDOWN_MS`: least time between two unprompted replies in one channel. */
    private readonly cooldownMs: number,
  ) {}

  cooldownKey(channel: ChannelRef): string {
    return `${this.prefix}:chatter-cooldown:${channelKey(channel)}`;
  }

  lastKey(channel: ChannelRef): string {
    return `${this.prefix}:chatter-last:${channelKey(channel)}`;
  }

  async pass(channel: ChannelRef, drawn: boolean): Promise<boolean> {
    const keys = [this.cooldownKey(channel), this.lastKey(channel)];
    const passed = await this.redis.eval(SCRIPT, 2, ...keys, drawn ? '1' : '0', this.cooldownMs, LAST_MEMORY_MS);
    return passed === 1;
  }
}
