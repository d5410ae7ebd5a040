// Shared helpers for scores: read the latest plausible reading of a kind and remember its evidence.
import type {
  ClinicalSnapshot,
  LabKind,
  Measurement,
  ResourceRef,
  Score,
  Series,
  VitalKind,
} from '../types.ts';

export function vital(s: ClinicalSnapshot, kind: VitalKind): Measurement | undefined {
  return s.vitals[kind]?.latest;
}

export function lab(s: ClinicalSnapshot, kind: LabKind): Measurement | undefined {
  return s.labs[kind]?.latest;
}

/**
 * Appends to an unavailable score's reason the implausible newest readings behind its missing inputs, so
 * "missing" never hides a reading that was recorded but could not be scored.
 */
export function explainUnusable(
  score: Score,
  s: ClinicalSnapshot,
  kinds: ReadonlyArray<VitalKind | LabKind>,
): Score {
  if (score.total !== null) return score;
  const notes: string[] = [];
  for (const k of kinds) {
    const series =
      (s.vitals as Record<string, Series | undefined>)[k] ??
      (s.labs as Record<string, Series | undefined>)[k];
    const u = series?.unusable;
    if (u?.implausible) notes.push(`${u.implausible} (${u.source})`);
  }
  if (notes.length === 0) return score;
  return {
    ...score,
    reason: `${score.reason} Newest reading not scored: ${notes.join('; ')}; older readings do not stand in for it.`,
  };
}

export function uniqueRefs(refs: Iterable<ResourceRef | undefined>): ResourceRef[] {
  const out = new Set<ResourceRef>();
  for (const r of refs) if (r) out.add(r);
  return [...out];
}

/**
 * A score whose criteria each add points: the total when every criterion is known; otherwise null
 * with the reason, the partial sum as a lower bound (rules may act on "at least 2") and what is missing.
 */
export function criteriaScore(c: {
  partial: Record<string, number>;
  missing: string[];
  evidence: Array<ResourceRef | undefined>;
  incomplete: (missing: string) => string;
  band: (sum: number) => string;
  notes?: string[];
}): Score {
  const sum = Object.values(c.partial).reduce((a, b) => a + b, 0);
  const evidence = uniqueRefs(c.evidence);
  if (c.missing.length > 0) {
    return {
      total: null,
      reason: c.incomplete(c.missing.join(', ')),
      missing: c.missing,
      lowerBound: sum,
      partial: c.partial,
      evidence,
    };
  }
  return {
    total: sum,
    components: c.partial,
    band: c.band(sum),
    evidence,
    ...(c.notes && c.notes.length > 0 ? { notes: c.notes } : {}),
  };
}

/** Consciousness as an ACVPU letter from AVPU, else from GCS (15 → A, 9–14 → C, ≤8 → U). */
export function consciousness(
  s: ClinicalSnapshot,
): { level: 'A' | 'C' | 'V' | 'P' | 'U'; source: ResourceRef; gcs?: number } | undefined {
  const avpu = vital(s, 'avpu');
  const gcs = vital(s, 'gcs');
  const fromGcs = (m: Measurement) => ({
    level: (m.value >= 15 ? 'A' : m.value > 8 ? 'C' : 'U') as 'A' | 'C' | 'U',
    source: m.source,
    gcs: m.value,
  });
  // The newer of the two wins; at equal times the worse one (a GCS below 15 overrides "alert").
  if (avpu?.code && gcs) {
    const tg = Date.parse(gcs.at);
    const ta = Date.parse(avpu.at);
    if (tg > ta) return fromGcs(gcs);
    if (ta > tg) return { level: avpu.code as 'A' | 'C' | 'V' | 'P' | 'U', source: avpu.source };
    return avpu.code === 'A' && gcs.value < 15
      ? fromGcs(gcs)
      : { level: avpu.code as 'A', source: avpu.source };
  }
  if (avpu?.code) return { level: avpu.code as 'A' | 'C' | 'V' | 'P' | 'U', source: avpu.source };
  if (gcs) return fromGcs(gcs);
  return undefined;
}

/** Supplemental oxygen: on the SpO2 reading itself, or a current FiO2 > 21 % / O2 flow > 0 reading. */
export function oxygen(s: ClinicalSnapshot): { onOxygen: boolean; source?: ResourceRef; recorded: boolean } {
  const spo2 = vital(s, 'spo2');
  if (spo2?.onOxygen) return { onOxygen: true, source: spo2.source, recorded: true };
  const fio2 = vital(s, 'inspiredOxygen');
  const flow = vital(s, 'oxygenFlow');
  if (fio2 && fio2.value > 21) return { onOxygen: true, source: fio2.source, recorded: true };
  if (flow && flow.value > 0) return { onOxygen: true, source: flow.source, recorded: true };
  const src = fio2?.source ?? flow?.source;
  return { onOxygen: false, recorded: src !== undefined, ...(src ? { source: src } : {}) };
}

/**
 * Heart rate, respiratory rate, systolic BP and SpO2 all have a current reading: the danger-zone
 * checks need all four. Weight, height or a pain score alone do not count.
 */
export function hasCurrentVitalSigns(snapshot: ClinicalSnapshot): boolean {
  const v = snapshot.vitals;
  return [v.heartRate, v.respiratoryRate, v.systolicBP, v.spo2].every((s) => s?.latest !== undefined);
}
