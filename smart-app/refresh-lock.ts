// Serialises SMART token refresh per session. Refresh tokens may be single-use (rotated): two
// instances refreshing one session at once would burn it, and the loser would end the nurse's
// session. The holder refreshes; the others wait and reuse the token it stored. In Redis the lock's
// key holds the SHA-256 of the session id, never the id.
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { redisKeyId } from '../src/http/redis.ts';

export interface RefreshLock {
  /** Takes the lock for `ttlMs`; returns the owner's token, or undefined when someone holds it. */
  acquire(key: string, ttlMs: number): Promise<string | undefined>;
  /** Releases the lock only if `owner` still holds it (an expired lock may belong to another). */
  release(key: string, owner: string): Promise<void>;
}

/** One process: a map of held locks with their expiry. */
export class MemoryRefreshLock implements RefreshLock {
  readonly #held = new Map<string, { owner: string; expiresAt: number }>();

  async acquire(key: string, ttlMs: number): Promise<string | undefined> {
    const held = this.#held.get(key);
    if (held && held.expiresAt > Date.now()) return undefined;
    const owner = randomUUID();
    this.#held.set(key, { owner, expiresAt: Date.now() + ttlMs });
    return owner;
  }

  async release(key: string, owner: string): Promise<void> {
    if (this.#held.get(key)?.owner === owner) this.#held.delete(key);
  }
}

// Compare-and-delete in one step: between a GET and a DEL the lock could expire and be taken.
const RELEASE_SCRIPT = `if redis.call("get", KEYS[1]) == ARGV[1] then return redis.call("del", KEYS[1]) else return 0 end`;

/** Several instances: SET NX PX, released by its owner through a compare-and-delete script. */
export class RedisRefreshLock implements RefreshLock {
  readonly #redis: Redis;
  readonly #prefix: string;

  constructor(options: { url: string; keyPrefix: string; onError?: (error: Error) => void }) {
    this.#prefix = options.keyPrefix;
    this.#redis = new Redis(options.url, {
      maxRetriesPerRequest: 1,
      connectTimeout: 2000,
      commandTimeout: 1000,
    });
    this.#redis.on('error', options.onError ?? (() => {}));
  }

  async acquire(key: string, ttlMs: number): Promise<string | undefined> {
    const owner = randomUUID();
    const r = await this.#redis.set(
      this.#prefix + redisKeyId(key),
      owner,
      'PX',
      Math.max(1, Math.ceil(ttlMs)),
      'NX',
    );
    return r === 'OK' ? owner : undefined;
  }

  async release(key: string, owner: string): Promise<void> {
    await this.#redis.eval(RELEASE_SCRIPT, 1, this.#prefix + redisKeyId(key), owner);
  }

  async close(): Promise<void> {
    await this.#redis.quit();
  }
}
