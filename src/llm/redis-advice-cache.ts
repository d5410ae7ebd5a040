// The model-result cache on Redis, shared by every instance (REDIS_URL with SESSION_SECRET): an
// answer that finished in the background on one instance is there at once for the next view of
// the patient on another. Entries hold model statements about a patient, so they are sealed with
// a SESSION_SECRET-derived key; keys carry only hashes, prompt ids and the model name.
import { Redis } from 'ioredis';
import { z } from 'zod';
import { type SealedBox, sealedBox } from '../crypto/sealed-box.ts';
import type { AdviceCache } from './advice-cache.ts';
import type { AdviceResult } from './types.ts';

export interface RedisAdviceCacheOptions {
  url: string;
  /** e.g. `citecare:advice:`; the advice key itself starts with `advice:<prompt>@<version>:<model>:`. */
  keyPrefix: string;
  secret: string;
  /** Default and longest life of an entry (default 30 min, as in memory). */
  ttlMs?: number;
  onError?: (error: Error) => void;
}

// The shape every reader relies on; anything else (an older format, another program's value)
// counts as a miss rather than reaching a card.
const cachedAdviceSchema = z
  .object({
    kind: z.enum(['summary', 'triage']),
    status: z.enum(['ok', 'disabled', 'timeout', 'fallback', 'error', 'circuit-open']),
    statements: z.array(z.object({ text: z.string() }).loose()),
    dropped: z.array(z.object({ text: z.string(), reason: z.string() }).loose()),
    durationMs: z.number(),
  })
  .loose();

export class RedisAdviceCache implements AdviceCache {
  readonly #redis: Redis;
  readonly #prefix: string;
  readonly #box: SealedBox;
  readonly #ttlMs: number;

  constructor(options: RedisAdviceCacheOptions) {
    this.#prefix = options.keyPrefix;
    this.#box = sealedBox(options.secret, 'citecare-advice-cache');
    this.#ttlMs = options.ttlMs ?? 30 * 60_000;
    // The advisor waits at most ~100 ms for a lookup; a slow Redis is a miss, not a stalled hook.
    this.#redis = new Redis(options.url, {
      maxRetriesPerRequest: 1,
      connectTimeout: 2000,
      commandTimeout: 1000,
    });
    this.#redis.on('error', options.onError ?? (() => {}));
  }

  async get(key: string): Promise<AdviceResult | undefined> {
    const sealed = await this.#redis.get(this.#prefix + key);
    const text = sealed ? this.#box.open(sealed) : undefined;
    if (text === undefined) return undefined;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      return undefined;
    }
    // Checked above for the fields callers read; the rest is our own serialised AdviceResult.
    return cachedAdviceSchema.safeParse(value).success ? (value as AdviceResult) : undefined;
  }

  async set(key: string, value: AdviceResult, ttlMs?: number): Promise<void> {
    const ttl = Math.max(1, Math.ceil(Math.min(ttlMs ?? this.#ttlMs, this.#ttlMs)));
    await this.#redis.set(this.#prefix + key, this.#box.seal(JSON.stringify(value)), 'PX', ttl);
  }

  async close(): Promise<void> {
    await this.#redis.quit();
  }
}
