// Finished model work, keyed by what the model saw (snapshot hash + prompt version + model), so a
// result that missed one hook's budget is there at once for the next view of the patient. The
// port is async so a shared store (Redis) can stand in when several instances run.
import { createHash } from 'node:crypto';
import type { Assessment, ClinicalSnapshot } from '../clinical/types.ts';
import type { Passage } from '../guidelines/types.ts';
import type { AdviceResult } from './types.ts';

export interface AdviceCache {
  get(key: string): Promise<AdviceResult | undefined>;
  set(key: string, value: AdviceResult): Promise<void>;
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

  async set(key: string, value: AdviceResult): Promise<void> {
    this.entries.delete(key);
    this.entries.set(key, { value, expires: this.now() + this.ttlMs });
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

export function adviceCacheKey(parts: {
  inputHash: string;
  promptId: string;
  promptVersion: string;
  model: string;
}): string {
  return `advice:${parts.promptId}@${parts.promptVersion}:${parts.model}:${parts.inputHash}`;
}
