// Finished model work, keyed by what the model saw (snapshot hash + prompt version + model), so a
// result that missed one hook's budget is there at once for the next view of the patient. The
// port is async so a shared store (Redis) can stand in when several instances run.
import { createHash } from 'node:crypto';
import type { Assessment, ClinicalSnapshot } from '../clinical/types.ts';
import type { Passage } from '../guidelines/types.ts';
import type { AdviceResult } from './types.ts';

export interface AdviceCache {
  get(key: string): Promise<AdviceResult | undefined>;
  /** `ttlMs` shortens the entry's life below the store's default (e.g. for fallbacks). */
  set(key: string, value: AdviceResult, ttlMs?: number): Promise<void>;
}

export interface MemoryAdviceCacheOptions {
  maxEntries?: number;
  ttlMs?: number;
  now?: () => number;
}

export class MemoryAdviceCache implements AdviceCache {
  private readonly entries = new Map<string, { value: AdviceResult; expires: number }>();
  private readonly maxEntries: number;
  private readonly ttlMs: number;
  private readonly now: () => number;

  constructor(options: MemoryAdviceCacheOptions = {}) {
    this.maxEntries = options.maxEntries ?? 500;
    this.ttlMs = options.ttlMs ?? 30 * 60_000;
    this.now = options.now ?? Date.now;
  }

  async get(key: string): Promise<AdviceResult | undefined> {
    const hit = this.entries.get(key);
    if (!hit) return undefined;
    if (hit.expires <= this.now()) {
      this.entries.delete(key);
      return undefined;
    }
    // Re-insert: Map order doubles as least-recently-used order.
    this.entries.delete(key);
    this.entries.set(key, hit);
    return hit.value;
  }

  async set(key: string, value: AdviceResult, ttlMs?: number): Promise<void> {
    this.entries.delete(key);
    this.entries.set(key, { value, expires: this.now() + Math.min(ttlMs ?? this.ttlMs, this.ttlMs) });
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
  }

  get size(): number {
    return this.entries.size;
  }
}

/** JSON with sorted keys, so equal data always hashes the same. */
export function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const obj = value as Record<string, unknown>;
    return `{${Object.keys(obj)
      .filter((k) => obj[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stableJson(obj[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/**
 * Hash of everything the model's answer depends on: the snapshot's facts (real ids included,
 * because the verified result maps tokens back to them), the deterministic triage, findings and
 * scores, and the passages by id and content hash. The "as of" time is left out, so the next view
 * of an unchanged chart a minute later still finds the finished answer.
 */
export function adviceInputHash(input: {
  snapshot: ClinicalSnapshot;
  assessment: Assessment;
  passages: readonly Passage[];
  phiTerms?: readonly string[];
  snapshotHash?: string;
}): string {
  const { at: _at, resources: _resources, ...facts } = input.snapshot;
  return createHash('sha256')
    .update(
      stableJson({
        snapshot: input.snapshotHash ?? facts,
        triage: input.assessment.triage,
        findings: input.assessment.findings.map((f) => [f.id, f.severity, f.summary, f.evidence]),
        scores: input.assessment.scores,
        passages: input.passages.map((p) => [p.chunkId, p.contentHash]),
        phiTerms: input.phiTerms ?? [],
      }),
    )
    .digest('hex');
}

/** Width of the "as of" buckets in the cache key. */
export const AS_OF_BUCKET_MS = 5 * 60_000;

/**
 * The cache key. The "as of" time enters rounded to 5-minute buckets: the rendered input says
 * "10 min ago", so an answer must not outlive the relative times it was given by much.
 */
export function adviceCacheKey(parts: {
  inputHash: string;
  promptId: string;
  promptVersion: string;
  model: string;
  asOf?: string;
}): string {
  const t = parts.asOf === undefined ? Number.NaN : Date.parse(parts.asOf);
  const bucket = Number.isNaN(t) ? 'any' : String(Math.floor(t / AS_OF_BUCKET_MS));
  return `advice:${parts.promptId}@${parts.promptVersion}:${parts.model}:${bucket}:${parts.inputHash}`;
}
