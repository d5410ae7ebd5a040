// Port for server-side session and launch-state records. The memory adapter suits one process;
// several instances behind a load balancer need a shared adapter (e.g. Redis) with the same port.

export interface ExpiringStore<T> {
  get(key: string): Promise<T | undefined>;
  /** Stores the value for ttlMs (replacing any earlier value and its expiry). */
  set(key: string, value: T, ttlMs: number): Promise<void>;
  /** Returns the value and removes it in one step (single-use records such as launch states). */
  take(key: string): Promise<T | undefined>;
  delete(key: string): Promise<void>;
}

export class MemoryExpiringStore<T> implements ExpiringStore<T> {
  readonly #items = new Map<string, { value: T; expiresAt: number }>();
  readonly #now: () => number;
  readonly #maxItems: number;

  constructor(opts: { now?: () => number; maxItems?: number } = {}) {
    this.#now = opts.now ?? Date.now;
    this.#maxItems = opts.maxItems ?? 10_000;
  }

  async get(key: string): Promise<T | undefined> {
    const item = this.#items.get(key);
    if (!item) return undefined;
    if (item.expiresAt <= this.#now()) {
      this.#items.delete(key);
      return undefined;
    }
    return item.value;
  }

  async set(key: string, value: T, ttlMs: number): Promise<void> {
    if (this.#items.size >= this.#maxItems) this.#sweep();
    // Still full of live entries: drop the oldest insertion rather than grow without bound.
    if (this.#items.size >= this.#maxItems) {
      const oldest = this.#items.keys().next().value;
      if (oldest !== undefined) this.#items.delete(oldest);
    }
    this.#items.delete(key);
    this.#items.set(key, { value, expiresAt: this.#now() + ttlMs });
  }

  async take(key: string): Promise<T | undefined> {
    const value = await this.get(key);
    this.#items.delete(key);
    return value;
  }

  async delete(key: string): Promise<void> {
    this.#items.delete(key);
  }

  #sweep(): void {
    const now = this.#now();
    for (const [key, item] of this.#items) if (item.expiresAt <= now) this.#items.delete(key);
  }
}
