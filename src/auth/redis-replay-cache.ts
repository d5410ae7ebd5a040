import { Redis } from 'ioredis';
import type { ReplayCache } from './replay-cache.ts';

export interface RedisReplayCacheOptions {
  url: string;
  /** Namespaces the keys, so several services (or tests) can share one Redis. */
  keyPrefix?: string;
  /** Connection problems (each failed check also rejects its own call). Default: ignored here. */
  onError?: (error: Error) => void;
}

export class RedisReplayCache implements ReplayCache {
  readonly #redis: Redis;
  readonly #prefix: string;

  constructor(options: RedisReplayCacheOptions) {
    this.#prefix = options.keyPrefix ?? 'citecare:cds-jti:';
    // A replay check must not hang a hook: fail fast and let the caller answer with an error.
    this.#redis = new Redis(options.url, {
      maxRetriesPerRequest: 1,
      connectTimeout: 2000,
      commandTimeout: 1000,
    });
    // Without a listener ioredis prints every reconnect failure to the console; the owner decides instead.
    this.#redis.on('error', options.onError ?? (() => {}));
  }

  async seen(key: string, ttlSeconds: number): Promise<boolean> {
    // SET NX is the atomic check-and-record: two instances racing on one jti cannot both win.
    const result = await this.#redis.set(
      this.#prefix + key,
      '1',
      'EX',
      Math.max(1, Math.ceil(ttlSeconds)),
      'NX',
    );
    return result !== 'OK';
  }

  async close(): Promise<void> {
    await this.#redis.quit();
  }
}
