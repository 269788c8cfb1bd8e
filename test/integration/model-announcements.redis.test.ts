import { Redis } from 'ioredis';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { announceModel, subscribeModelAnnouncements } from '../../src/queue/model-announcements.js';
import { TEST_REDIS_URL, testPrefix } from '../helpers/redis-test-env.js';

/** A connection to database `db` of the shared test server (unset: the database `TEST_REDIS_URL` names). */
function connect(db?: number): Redis {
  const url = new URL(TEST_REDIS_URL);
  if (db !== undefined) url.pathname = `/${db}`;
  return new Redis(url.toString(), { maxRetriesPerRequest: 1 });
}

describe('model announcements', () => {
  const connections: Redis[] = [];
  afterEach(async () => {
    await Promise.all(connections.splice(0).map((c) => c.quit()));
  });

  /** A deployment on database `db` under `prefix`: what its workers hear, and how it announces. */
  async function deployment(db: number | undefined, prefix: string) {
    const [subscriber, commands] = [connect(db), connect(db)];
    connections.push(subscriber, commands);
    const heard: string[] = [];
    await subscribeModelAnnouncements(subscriber, prefix, (key) => heard.push(key));
    return { heard, announce: (key: string) => announceModel(commands, prefix, key) };
  }

  it('reach the workers of the same deployment only, though two deployments share a server and a prefix', async () => {
    const prefix = testPrefix();
    const first = await deployment(1, prefix);
    const second = await deployment(2, prefix);

    await first.announce('discord/guild-1/chan-a');
    await vi.waitFor(() => expect(first.heard).toEqual(['discord/guild-1/chan-a']), { timeout: 2_000 });
    // The second deployment's own announcement reaches it after anything the first one sent earlier.
    await second.announce('slack/T1/C1');
    await vi.waitFor(() => expect(second.heard).toContain('slack/T1/C1'), { timeout: 2_000 });

    expect(second.heard).toEqual(['slack/T1/C1']);
    expect(first.heard).toEqual(['discord/guild-1/chan-a']);
  });

  it('keep deployments with different prefixes on one database apart', async () => {
    const first = await deployment(undefined, testPrefix());
    const second = await deployment(undefined, testPrefix());
    await first.announce('*');
    await second.announce('console/local/general');
    await vi.waitFor(() => expect(second.heard).toEqual(['console/local/general']), { timeout: 2_000 });
    await vi.waitFor(() => expect(first.heard).toEqual(['*']), { timeout: 2_000 });
  });
});
