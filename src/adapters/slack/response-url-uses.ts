/** Slack accepts at most this many posts to one `response_url`. */
export const RESPONSE_URL_MAX_USES = 5;
/** ...and only within this long after the command. */
export const RESPONSE_URL_LIFETIME_MS = 30 * 60_000;

/**
 * Counts posts to each `response_url` in this process, so the sixth answer goes another way.
 * Entries are dropped once past their expiry. One process's count: a worker on another host keeps
 * its own (an answer and an apology per command stay well under five).
 */
export class ResponseUrlUses {
  readonly #uses = new Map<string, { count: number; expiresAt: number }>();

  constructor(
    private readonly maxUses = RESPONSE_URL_MAX_USES,
    private readonly now: () => number = Date.now,
  ) {}

  /** Takes one use if the URL is still valid and has one left. */
  take(url: string, expiresAt: number): boolean {
    const now = this.now();
    if (now >= expiresAt) return false;
    this.#prune(now);
    const entry = this.#uses.get(url) ?? { count: 0, expiresAt };
    if (entry.count >= this.maxUses) return false;
    entry.count += 1;
    this.#uses.set(url, entry);
    return true;
  }

  #prune(now: number): void {
    if (this.#uses.size < 1_000) return;
    for (const [url, entry] of this.#uses) if (entry.expiresAt <= now) this.#uses.delete(url);
  }
}
