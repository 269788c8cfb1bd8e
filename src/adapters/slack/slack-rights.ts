import type { webApi } from '@slack/bolt';
import type { Caller } from '../../commands/caller.js';
import type { Logger } from '../../ops/logger.js';

export interface SlackRightsOptions {
  client: webApi.WebClient;
  /** User ids allowed to manage every channel whatever their workspace role (`SLACK_ADMIN_USERS`). */
  adminUsers: readonly string[];
  logger: Logger;
  /** How long a `users.info` answer is trusted. */
  cacheMs?: number;
  maxEntries?: number;
  now?: () => number;
}

/**
 * Maps a Slack user to a `Caller`: workspace admins and owners (from `users.info`: `is_admin`,
 * `is_owner`, `is_primary_owner`) and the configured admin users may manage channels and the
 * workspace. Answers are cached briefly; a failed lookup counts as "not an admin" and is not cached.
 * @see https://docs.slack.dev/reference/methods/users.info
 */
export class SlackRights {
  readonly #client: webApi.WebClient;
  readonly #adminUsers: ReadonlySet<string>;
  readonly #logger: Logger;
  readonly #cacheMs: number;
  readonly #maxEntries: number;
  readonly #now: () => number;
  readonly #cache = new Map<string, { admin: Promise<boolean>; until: number }>();

  constructor({
    client,
    adminUsers,
    logger,
    cacheMs = 60_000,
    maxEntries = 10_000,
    now = Date.now,
  }: SlackRightsOptions) {
    this.#client = client;
    this.#adminUsers = new Set(adminUsers);
    this.#logger = logger;
    this.#cacheMs = cacheMs;
    this.#maxEntries = maxEntries;
    this.#now = now;
  }

  /** The caller's rights; `lookup: false` skips `users.info` (commands that need no rights). */
  async callerFor(teamId: string, userId: string, { lookup = true } = {}): Promise<Caller> {
    const admin = this.#adminUsers.has(userId) || (lookup && (await this.#isWorkspaceAdmin(teamId, userId)));
    return { userId, canManageChannel: admin, canManageWorkspace: admin };
  }

  /** Concurrent commands of one user share one `users.info` call (the in-flight answer is cached). */
  #isWorkspaceAdmin(teamId: string, userId: string): Promise<boolean> {
    const key = `${teamId}/${userId}`;
    const cached = this.#cache.get(key);
    if (cached && cached.until > this.#now()) return cached.admin;
    if (this.#cache.size >= this.#maxEntries) this.#cache.clear();
    const admin = this.#lookup(userId).catch((error: unknown) => {
      this.#cache.delete(key);
      this.#logger.warn({ err: error, platform: 'slack', userId }, 'users.info failed; treating the user as no admin');
      return false;
    });
    this.#cache.set(key, { admin, until: this.#now() + this.#cacheMs });
    return admin;
  }

  async #lookup(userId: string): Promise<boolean> {
    const { user } = await this.#client.users.info({ user: userId });
    return Boolean(user?.is_admin || user?.is_owner || user?.is_primary_owner);
  }
}
