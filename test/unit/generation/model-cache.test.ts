import { describe, expect, it } from 'vitest';
import { ModelCache } from '../../../src/generation/model-cache.js';

describe('ModelCache', () => {
  it('keeps at most `capacity` models, disposing the least recently used', async () => {
    const disposed: string[] = [];
    const cache = new ModelCache<string>(2, (value) => disposed.push(value));
    (await cache.acquire('a', async () => 'A')).release();
    (await cache.acquire('b', async () => 'B')).release();
    (await cache.acquire('a', async () => 'A2')).release();
    (await cache.acquire('c', async () => 'C')).release();
    expect(disposed).toEqual(['B']);
    expect(cache.keys().sort()).toEqual(['a', 'c']);
  });

  it('shares one load between concurrent requests for the same key', async () => {
    let loads = 0;
    const cache = new ModelCache<string>(2, () => undefined);
    const load = async () => {
      loads += 1;
      await new Promise((r) => setTimeout(r, 10));
      return 'A';
    };
    const leases = await Promise.all([cache.acquire('a', load), cache.acquire('a', load), cache.acquire('a', load)]);
    expect(loads).toBe(1);
    expect(leases.map((l) => l.value)).toEqual(['A', 'A', 'A']);
  });

  it('disposes an evicted model only once the last request using it is done', async () => {
    const disposed: string[] = [];
    const cache = new ModelCache<string>(1, (value) => disposed.push(value));
    const busy = await cache.acquire('old', async () => 'OLD');
    (await cache.acquire('new', async () => 'NEW')).release();
    expect(disposed).toEqual([]);
    busy.release();
    expect(disposed).toEqual(['OLD']);
  });

  it('forgets a failed load so the next request tries again', async () => {
    const cache = new ModelCache<string>(1, () => undefined);
    await expect(cache.acquire('a', async () => Promise.reject(new Error('broken')))).rejects.toThrow('broken');
    const lease = await cache.acquire('a', async () => 'A');
    expect(lease.value).toBe('A');
  });

  it('disposes a model evicted while it loads once its request is done, and loads it anew next time', async () => {
    const disposed: string[] = [];
    const cache = new ModelCache<string>(2, (value) => disposed.push(value));
    let finish: (value: string) => void = () => undefined;
    const pending = cache.acquire('a', () => new Promise<string>((resolve) => (finish = resolve)));
    cache.evict('a');
    finish('A1');
    const lease = await pending;
    expect(lease.value).toBe('A1');
    expect(disposed).toEqual([]);
    lease.release();
    expect(disposed).toEqual(['A1']);
    expect((await cache.acquire('a', async () => 'A2')).value).toBe('A2');
  });

  it('disposes everything on clear', async () => {
    const disposed: string[] = [];
    const cache = new ModelCache<string>(3, (value) => disposed.push(value));
    (await cache.acquire('a', async () => 'A')).release();
    (await cache.acquire('b', async () => 'B')).release();
    cache.clear();
    expect(disposed.sort()).toEqual(['A', 'B']);
    expect(cache.size).toBe(0);
  });
});
