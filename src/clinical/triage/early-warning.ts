// Early-warning scores and vital-sign limits that raise the floor to 2: NEWS2 (RCP 2017, §1.1), qSOFA
// (Sepsis-3, §1.2), ESI danger-zone vitals (decision point D, §1.5) and the shock index (§1.4).
import { fmt } from '../format.ts';
import { vital } from '../scores/inputs.ts';
import type { ResourceRef, Score } from '../types.ts';
import { PASSAGE, SOURCE } from './passages.ts';
import { onVital, type TriageRule } from './types.ts';

const NEWS2_LABELS: Record<string, string> = {
  respiratoryRate: 'respiratory rate',
  spo2: 'SpO2',
  airOrOxygen: 'oxygen',
  systolicBP: 'systolic BP',
  pulse: 'pulse',
  consciousness: 'consciousness',
  temperature: 'temperature',
};

export function scoreComponents(score: Score): Record<string, number> | undefined {
  return score.total === null ? score.partial : score.components;
}

function evidenceOf(score: Score): ResourceRef[] {
  return score.total === null ? (score.evidence ?? []) : score.evidence;
}

export const EARLY_WARNING_RULES: readonly TriageRule[] = [
  {
    id: 'news2-5-or-more',
    level: 2,
    point: 'B',
    system: 'early-warning',
    source: SOURCE.news2,
    passage: PASSAGE.news2Medium,
    topic: 'news2',
    evaluate({ scores }) {
      const n2 = scores.news2;
      // A missing parameter can only add points, so a partial sum of 5 or more already meets the threshold.
      const total = n2.total ?? n2.lowerBound ?? 0;
      if (total < 5) return undefined;
      const risk = total >= 7 ? 'high' : 'medium';
      return {
        reason:
          n2.total === null
            ? `NEWS2 at least ${total} (${risk} clinical risk; ${(n2.missing ?? []).join(', ')} missing)`
            : `NEWS2 is ${total} (${risk} clinical risk)`,
        evidence: evidenceOf(n2),
        passage: total >= 7 ? PASSAGE.news2High : PASSAGE.news2Medium,
      };
    },
  },
  {
    id: 'news2-single-3',
    level: 2,
    point: 'B',
    system: 'early-warning',
    source: SOURCE.news2,
    passage: PASSAGE.news2Single3,
    topic: 'news2',
    evaluate({ scores }) {
      const c = scoreComponents(scores.news2);
      if (!c) return undefined;
      const threes = Object.entries(c)
        .filter(([, p]) => p === 3)
        .map(([k]) => NEWS2_LABELS[k] ?? k);
      if (threes.length === 0) return undefined;
      return { reason: `NEWS2 scores 3 for ${threes.join(', ')}`, evidence: evidenceOf(scores.news2) };
    },
  },
  {
    id: 'qsofa-positive',
    level: 2,
    point: 'B',
    system: 'early-warning',
    source: SOURCE.qsofa,
    passage: PASSAGE.qsofa,
    topic: 'qsofa',
    evaluate({ scores }) {
      const q = scores.qsofa;
      const total = q.total ?? q.lowerBound ?? 0;
      if (total < 2) return undefined;
      return {
        reason: `qSOFA is ${q.total === null ? 'at least ' : ''}${total} (2 or more is positive)`,
        evidence: evidenceOf(q),
      };
    },
  },
  {
    id: 'spo2-below-92',
    level: 2,
    point: 'D',
    system: 'early-warning',
    source: SOURCE.pointD,
    passage: PASSAGE.dangerZoneThresholds,
    topic: 'danger-zone-vitals',
    evaluate: onVital(
      'spo2',
      (v) => v < 92,
      (v) => `SpO2 ${v} % is below 92 %`,
    ),
  },
  {
    id: 'danger-zone',
    level: 2,
    point: 'D',
    system: 'early-warning',
    source: SOURCE.pointD,
    passage: PASSAGE.dangerZoneUse,
    topic: 'danger-zone-vitals',
    evaluate({ s, scores }) {
      const dz = scoreComponents(scores.dangerZone);
      if (!dz || (dz.heartRate !== 1 && dz.respiratoryRate !== 1)) return undefined;
      const hr = vital(s, 'heartRate');
      const rr = vital(s, 'respiratoryRate');
      const parts: string[] = [];
      if (dz.heartRate === 1 && hr) parts.push(`heart rate ${fmt(hr.value)}/min`);
      if (dz.respiratoryRate === 1 && rr) parts.push(`respiratory rate ${fmt(rr.value)}/min`);
      return {
        reason: `Danger-zone vitals for the age band: ${parts.join(' and ')}`,
        evidence: [
          dz.heartRate === 1 ? hr?.source : undefined,
          dz.respiratoryRate === 1 ? rr?.source : undefined,
        ],
      };
    },
  },
  {
    id: 'shock-index-1',
    level: 2,
    point: 'B',
    system: 'early-warning',
    source: SOURCE.shockIndex,
    passage: PASSAGE.shockIndex,
    topic: 'shock',
    evaluate({ scores }) {
      const si = scores.shockIndex;
      if (si.total === null || si.band !== 'high') return undefined;
      return { reason: `Shock index ${fmt(si.total, 2)} is 1.0 or more`, evidence: si.evidence };
    },
  },
];
