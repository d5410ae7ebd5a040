// ExpiringStore on Redis, for several instances behind a load balancer (REDIS_URL). Session records
// hold OAuth tokens, so values are sealed with AES-256-GCM under a key derived from SESSION_SECRET:
// a Redis dump or a shared Redis never shows a usable token.
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
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
  readonly #key: Buffer;

  constructor(options: RedisExpiringStoreOptions) {
    this.#prefix = options.keyPrefix;
    this.#key = createHash('sha256').update(`citecare-smart-session:${options.secret}`).digest();
    this.#redis = new Redis(options.url, {
      maxRetriesPerRequest: 1,
      connectTimeout: 2000,
      commandTimeout: 1000,
    });
    this.#redis.on('error', options.onError ?? (() => {}));
  }

  #seal(value: T): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.#key, iv);
    const body = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()]);
    return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64');
  }

  #open(sealed: string | null): T | undefined {
    if (!sealed) return undefined;
    try {
      const raw = Buffer.from(sealed, 'base64');
      const decipher = createDecipheriv('aes-256-gcm', this.#key, raw.subarray(0, 12));
      decipher.setAuthTag(raw.subarray(12, 28));
      const text = Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
      return JSON.parse(text) as T;
    } catch {
      // Sealed under another secret (rotated) or tampered with: treat as absent.
      return undefined;
    }
  }

  async get(key: string): Promise<T | undefined> {
    return this.#open(await this.#redis.get(this.#prefix + key));
  }

  async set(key: string, value: T, ttlMs: number): Promise<void> {
    await this.#redis.set(this.#prefix + key, this.#seal(value), 'PX', Math.max(1, Math.ceil(ttlMs)));
  }

  async take(key: string): Promise<T | undefined> {
    // GETDEL is atomic: two instances receiving the same callback cannot both use one launch state.
    return this.#open(await this.#redis.getdel(this.#prefix + key));
  }

  async delete(key: string): Promise<void> {
    await this.#redis.del(this.#prefix + key);
  }

  async close(): Promise<void> {
    await this.#redis.quit();
  }
}
