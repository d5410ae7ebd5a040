// Keys a CDS client publishes at a URL (its configured jwksUrl, or an allowlisted jku): fetched with a
// timeout, cached, and refetched when a token names a key we do not have yet (key rotation), but at most
// once per cooldown per URL, so a stream of tokens with made-up kids cannot turn into a fetch storm.
import { z } from 'zod';

/** Fetches a JWK Set and returns its parsed JSON body; injected in tests. */
export type JwksFetcher = (url: string, signal: AbortSignal) => Promise<unknown>;

export interface RemoteJwks {
  keys: Array<Record<string, unknown> & { kty: string; kid?: string }>;
}

const remoteJwksSchema = z.object({
  keys: z.array(z.looseObject({ kty: z.string(), kid: z.string().optional() })),
});

const MAX_JWKS_BYTES = 256 * 1024;

const defaultJwksFetcher: JwksFetcher = async (url, signal) => {
  // Redirects are refused: the URL was allowlisted, wherever it redirects to was not.
  const res = await fetch(url, { signal, redirect: 'error', headers: { accept: 'application/json' } });
  if (!res.ok) throw new Error(`JWKS fetch answered HTTP ${res.status}`);
  const text = await res.text();
  if (text.length > MAX_JWKS_BYTES) throw new Error('JWKS response too large');
  return JSON.parse(text);
};

export interface RemoteJwksCacheOptions {
  fetchJwks?: JwksFetcher;
  timeoutMs?: number;
  /** Minimum seconds between two fetches of one URL (unknown kid, expiry or failure). */
  cooldownSec?: number;
  /** Keys older than this are refetched (subject to the cooldown) even when the kid is known. */
  maxAgeSec?: number;
  now?: () => number;
}

interface Entry {
  jwks?: RemoteJwks;
  fetchedAt: number;
  lastAttempt: number;
  lastError?: string;
  inflight?: Promise<void>;
}

export class RemoteJwksCache {
  readonly #entries = new Map<string, Entry>();
  readonly #fetch: JwksFetcher;
  readonly #timeoutMs: number;
  readonly #cooldownMs: number;
  readonly #maxAgeMs: number;
  readonly #now: () => number;

  constructor(options: RemoteJwksCacheOptions = {}) {
    this.#fetch = options.fetchJwks ?? defaultJwksFetcher;
    this.#timeoutMs = options.timeoutMs ?? 3000;
    this.#cooldownMs = (options.cooldownSec ?? 30) * 1000;
    this.#maxAgeMs = (options.maxAgeSec ?? 600) * 1000;
    this.#now = options.now ?? Date.now;
  }

  /**
   * The key set at `url`, refreshed first when it lacks `kid` or is stale and the cooldown allows.
   * Throws only when no key set was ever obtained from the URL.
   */
  async keysFor(url: string, kid: string): Promise<RemoteJwks> {
    let entry = this.#entries.get(url);
    const now = this.#now();
    const usable = entry?.jwks && hasKid(entry.jwks, kid) && now - entry.fetchedAt < this.#maxAgeMs;
    if (!usable && (!entry || now - entry.lastAttempt >= this.#cooldownMs || entry.inflight)) {
      entry = await this.#refresh(url);
    }
    if (!entry?.jwks) throw new Error(entry?.lastError ?? 'no key set fetched yet');
    return entry.jwks;
  }

  async #refresh(url: string): Promise<Entry> {
    let entry = this.#entries.get(url);
    if (!entry) {
      entry = { fetchedAt: 0, lastAttempt: 0 };
      this.#entries.set(url, entry);
    }
    if (!entry.inflight) {
      const target = entry;
      target.lastAttempt = this.#now();
      target.inflight = this.#load(url)
        .then((jwks) => {
          target.jwks = jwks;
          target.fetchedAt = this.#now();
          target.lastError = undefined;
        })
        // A failed refresh keeps the keys we had: a JWKS host outage must not lock out a known client.
        .catch((e: unknown) => {
          target.lastError = e instanceof Error ? e.message : String(e);
        })
        .finally(() => {
          target.inflight = undefined;
        });
    }
    await entry.inflight;
    return entry;
  }

  async #load(url: string): Promise<RemoteJwks> {
    const signal = AbortSignal.timeout(this.#timeoutMs);
    // The race also bounds a fetcher that ignores its signal.
    const timedOut = new Promise<never>((_, reject) => {
      signal.addEventListener('abort', () =>
        reject(new Error(`JWKS fetch timed out after ${this.#timeoutMs} ms`)),
      );
    });
    const body = await Promise.race([this.#fetch(url, signal), timedOut]);
    const parsed = remoteJwksSchema.parse(body);
    // Only public signing keys are usable for verification; anything else in a published set is ignored.
    return {
      keys: parsed.keys.filter(
        (k) => k.kty !== 'oct' && !('d' in k) && (k.use === undefined || k.use === 'sig'),
      ),
    };
  }
}

function hasKid(jwks: RemoteJwks, kid: string): boolean {
  return jwks.keys.some((k) => k.kid === kid);
}
