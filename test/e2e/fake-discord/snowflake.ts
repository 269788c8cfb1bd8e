const DISCORD_EPOCH_MS = 1_420_070_400_000n;
let increment = 0n;

/** A Discord-shaped id: milliseconds since 2015 in the high bits, so discord.js reads a real timestamp. */
export function snowflake(atMs: number = Date.now()): string {
  increment = (increment + 1n) & 0xfffn;
  return (((BigInt(atMs) - DISCORD_EPOCH_MS) << 22n) | increment).toString();
}
