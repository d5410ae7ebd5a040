// ExpiringStore on Redis, for several instances behind a load balancer (REDIS_URL). Session records
// hold OAuth tokens, so values are sealed with AES-256-GCM under a key derived from SESSION_SECRET:
// a Redis dump or a shared Redis never shows a usable token. Keys hold the SHA-256 of the id (a
// session id or launch state is a credential), never the id itself.
import { Redis } from 'ioredis';
import { type SealedBox, sealedBox } from '../src/crypto/sealed-box.ts';
import { redisKeyId } from '../src/http/redis.ts';
import type { ExpiringStore } from './expiring-store.ts';

export interface RedisExpiringStoreOptions {
  url: string;
  keyPrefix: string;
  /** At least 32 characters; required, since the records carry tokens. */
  secret: string;
  onError?: (error: Error) => void;
}

export class RedisExpiringStore<T> implements ExpiringStore<T> {
  readonly #redis: Redis;
  readonly #prefix: string;
  readonly #box: SealedBox;

  constructor(options: RedisExpiringStoreOptions) {
    this.#prefix = options.keyPrefix;
    this.#box = sealedBox(options.secret, 'citecare-smart-session');
    this.#redis = new Redis(options.url, {
      maxRetriesPerRequest: 1,
      connectTimeout: 2000,
      commandTimeout: 1000,
    });
    this.#redis.on('error', options.onError ?? (() => {}));
  }

  #key(id: string): string {
    return this.#prefix + redisKeyId(id);
  }

  #seal(value: T): string {
    return this.#box.seal(JSON.stringify(value));
  }

  #open(sealed: string | null): T | undefined {
    const text = sealed ? this.#box.open(sealed) : undefined;
    // Sealed under another secret (rotated) or tampered with: treat as absent.
    return text === undefined ? undefined : (JSON.parse(text) as T);
  }

  async get(key: string): Promise<T | undefined> {
    return this.#open(await this.#redis.get(this.#key(key)));
  }

  async set(key: string, value: T, ttlMs: number): Promise<void> {
    await this.#redis.set(this.#key(key), this.#seal(value), 'PX', Math.max(1, Math.ceil(ttlMs)));
  }

  async take(key: string): Promise<T | undefined> {
    // GETDEL is atomic: two instances receiving the same callback cannot both use one launch state.
    return this.#open(await this.#redis.getdel(this.#key(key)));
  }

  async delete(key: string): Promise<void> {
    await this.#redis.del(this.#key(key));
  }

  async close(): Promise<void> {
    await this.#redis.quit();
  }
}
