import { LRUCache } from 'lru-cache';

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
 * A bounded least-recently-used cache of loaded models (`lru-cache`, counting loaded models only).
 * Loading the same key twice at once shares one load; a model pushed out by newer ones is disposed as
 * soon as no request still uses it (the leases are ours: `lru-cache` disposes at once).
 */
export class ModelCache<T> {
  readonly #loaded: LRUCache<string, Entry<T>>;
  readonly #loading = new Map<string, Entry<T>>();

  constructor(
    capacity: number,
    private readonly dispose: (value: T, key: string) => void,
    private readonly events: ModelCacheEvents = {},
  ) {
    if (!(capacity >= 1)) throw new Error('ModelCache capacity must be at least 1');
    this.#loaded = new LRUCache({ max: capacity, disposeAfter: (entry, key) => this.#retire(key, entry) });
  }

  get size(): number {
    return this.#loaded.size + this.#loading.size;
  }

  keys(): string[] {
    return [...this.#loaded.keys(), ...this.#loading.keys()];
  }

  async acquire(key: string, load: () => Promise<T>): Promise<Lease<T>> {
    const entry = this.#loaded.get(key) ?? this.#loading.get(key) ?? this.#startLoad(key, load);
    entry.leases += 1;
    let value: T;
    try {
      value = entry.value ?? (await entry.loading!);
    } catch (error) {
      entry.leases -= 1;
      throw error;
    }
    let released = false;
    return {
      value,
      release: () => {
        if (released) return;
        released = true;
        entry.leases -= 1;
        if (entry.evicted && entry.leases === 0) this.dispose(value, key);
      },
    };
  }

  /** Drops `key` now (e.g. a newer version was published); disposed once its last lease ends. */
  evict(key: string): void {
    if (this.#loaded.delete(key)) return;
    const entry = this.#loading.get(key);
    if (!entry) return;
    this.#loading.delete(key);
    this.#retire(key, entry);
  }

  /** Disposes everything (shutdown). */
  clear(): void {
    this.#loaded.clear();
    for (const key of [...this.#loading.keys()]) this.evict(key);
  }

  #startLoad(key: string, load: () => Promise<T>): Entry<T> {
    const entry: Entry<T> = { leases: 0, evicted: false };
    entry.loading = load().then(
      (value) => {
        entry.value = value;
        entry.loading = undefined;
        if (this.#loading.get(key) === entry) this.#loading.delete(key);
        if (!entry.evicted) this.#loaded.set(key, entry);
        this.events.onLoad?.(key);
        return value;
      },
      (error: unknown) => {
        if (this.#loading.get(key) === entry) this.#loading.delete(key);
        throw error;
      },
    );
    this.#loading.set(key, entry);
    return entry;
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
