// Remembers every accepted (iss, jti) for as long as the token could still be presented, so a captured
// token cannot be replayed. In memory for one instance; Redis when several instances share the load.
import { RedisReplayCache } from './redis-replay-cache.ts';

export interface ReplayCache {
  /**
   * Atomically records `key` for `ttlSeconds` and says whether it was already there.
   * true: seen before (a replay); false: first use, now recorded.
   */
  seen(key: string, ttlSeconds: number): Promise<boolean>;
  close?(): Promise<void>;
}

export interface MemoryReplayCacheOptions {
  /** Upper bound on remembered keys; beyond it the entries closest to expiry are forgotten first. */
  maxEntries?: number;
  now?: () => number;
}

export class MemoryReplayCache implements ReplayCache {
  readonly #expiresAt = new Map<string, number>();
  readonly #maxEntries: number;
  readonly #now: () => number;

  constructor(options: MemoryReplayCacheOptions = {}) {
    this.#maxEntries = options.maxEntries ?? 200_000;
    this.#now = options.now ?? Date.now;
  }

  get size(): number {
    return this.#expiresAt.size;
  }

  async seen(key: string, ttlSeconds: number): Promise<boolean> {
    const now = this.#now();
    const expiresAt = this.#expiresAt.get(key);
    if (expiresAt !== undefined && expiresAt > now) return true;
    // Re-inserting moves the key to the end, keeping the map roughly ordered by insertion time.
    this.#expiresAt.delete(key);
    if (this.#expiresAt.size >= this.#maxEntries) this.#makeRoom(now);
    this.#expiresAt.set(key, now + Math.max(1, ttlSeconds) * 1000);
    return false;
  }

  #makeRoom(now: number): void {
    for (const [k, exp] of this.#expiresAt) {
      if (exp <= now) this.#expiresAt.delete(k);
    }
    // Still full of live entries: drop the oldest tenth rather than refuse every caller. Lifetimes are
    // capped by the authenticator, so the oldest entries are the ones closest to expiring anyway.
    if (this.#expiresAt.size >= this.#maxEntries) {
      let drop = Math.ceil(this.#maxEntries / 10);
      for (const k of this.#expiresAt.keys()) {
        if (drop-- <= 0) break;
        this.#expiresAt.delete(k);
      }
    }
  }
}

/** Redis (shared by every instance) when a URL is configured, else this process's memory. */
export function createReplayCache(redisUrl?: string, keyPrefix = 'citecare:'): ReplayCache {
  return redisUrl
    ? new RedisReplayCache({ url: redisUrl, keyPrefix: `${keyPrefix}cds-jti:` })
    : new MemoryReplayCache();
}
