/** A value on loan from the cache; `release()` once done so an evicted value can be disposed. */
export interface Lease<T> {
  readonly value: T;
  release(): void;
}

interface Entry<T> {
  value?: T;
  loading?: Promise<T>;
  leases: number;
  evicted: boolean;
}

export interface ModelCacheEvents {
  onLoad?(key: string): void;
  onEvict?(key: string): void;
}

/**
 * A bounded least-recently-used cache of loaded models. Loading the same key twice at once shares one
 * load; a model pushed out by newer ones is disposed as soon as no request still uses it.
 */
export class ModelCache<T> {
  readonly #entries = new Map<string, Entry<T>>();

  constructor(
    private readonly capacity: number,
    private readonly dispose: (value: T, key: string) => void,
    private readonly events: ModelCacheEvents = {},
  ) {
    if (!(capacity >= 1)) throw new Error('ModelCache capacity must be at least 1');
  }

  get size(): number {
    return this.#entries.size;
  }

  keys(): string[] {
    return [...this.#entries.keys()];
  }

  async acquire(key: string, load: () => Promise<T>): Promise<Lease<T>> {
    let entry = this.#entries.get(key);
    if (entry) {
      this.#entries.delete(key);
      this.#entries.set(key, entry);
    } else {
      entry = { leases: 0, evicted: false };
      const created = entry;
      created.loading = load().then(
        (value) => {
          created.value = value;
          created.loading = undefined;
          this.events.onLoad?.(key);
          return value;
        },
        (error: unknown) => {
          if (this.#entries.get(key) === created) this.#entries.delete(key);
          throw error;
        },
      );
      this.#entries.set(key, created);
    }
    entry.leases += 1;
    let value: T;
    try {
      value = entry.value ?? (await entry.loading!);
    } catch (error) {
      entry.leases -= 1;
      throw error;
    }
    this.#evictBeyondCapacity();
    const held = entry;
    let released = false;
    return {
      value,
      release: () => {
        if (released) return;
        released = true;
        held.leases -= 1;
        if (held.evicted && held.leases === 0) this.dispose(value, key);
      },
    };
  }

  /** Drops `key` now (e.g. a newer version was published); disposed once its last lease ends. */
  evict(key: string): void {
    const entry = this.#entries.get(key);
    if (!entry) return;
    this.#entries.delete(key);
    this.#retire(key, entry);
  }

  /** Disposes everything (shutdown). */
  clear(): void {
    for (const key of [...this.#entries.keys()]) this.evict(key);
  }

  #evictBeyondCapacity(): void {
    for (const [key, entry] of this.#entries) {
      if (this.#entries.size <= this.capacity) return;
      if (entry.loading) continue;
      this.#entries.delete(key);
      this.#retire(key, entry);
    }
  }

  #retire(key: string, entry: Entry<T>): void {
    entry.evicted = true;
    this.events.onEvict?.(key);
    if (entry.value !== undefined && entry.leases === 0) this.dispose(entry.value, key);
    else if (entry.loading && entry.leases === 0) {
      void entry.loading.then((value) => this.dispose(value, key)).catch(() => undefined);
    }
  }
}
