// The shape of a triage rule: every rule, whether ESI decision point A, B or D, reads the same
// context (snapshot, scores, structured signals, chief-complaint concepts) and says the same things:
// a level, the reason shown to the nurse, its evidence, the source line, and the guideline passage
// (chunk id) the reason cites.
import { fmt } from '../format.ts';
import { vital } from '../scores/inputs.ts';
import type { Topic } from '../topics.ts';
import type { ClinicalSnapshot, ResourceRef, Score, VitalKind } from '../types.ts';
import type { TriageSignals } from './signals.ts';

export interface FloorScores {
  news2: Score;
  qsofa: Score;
  shockIndex: Score;
  dangerZone: Score;
}

export interface TriageContext {
  s: ClinicalSnapshot;
  scores: FloorScores;
  signals: TriageSignals;
}

export interface RuleHit {
  reason: string;
  evidence: Array<ResourceRef | undefined>;
  /** A more precise passage for this hit (NEWS2 7 or more cites the high-risk band, not the medium one). */
  passage?: string;
}

export type BodySystem =
  | 'airway-breathing'
  | 'circulation'
  | 'neurological'
  | 'abdominal'
  | 'genitourinary'
  | 'obstetric'
  | 'mental-health'
  | 'general'
  | 'paediatric'
  | 'trauma'
  | 'toxicology'
  | 'eye'
  | 'metabolic'
  | 'early-warning'
  | 'pain';

export interface TriageRule {
  /** Stable id, e.g. 'spo2-below-85', 'testicular-torsion'. */
  id: string;
  level: 1 | 2;
  point: 'A' | 'B' | 'D';
  system: BodySystem;
  /** Where the rule comes from, shown with its reason (clinical-sources section and the primary source). */
  source: string;
  /** Chunk id of the guideline passage about this very reason. */
  passage: string;
  /** A topic that passage's document carries (checked by a test over every vignette). */
  topic: Topic;
  /**
   * 'floor' rules set the floor; 'advisory' rules only add a "consider level 2" line (the ESI handbook's
   * severe-pain question is a judgement, not an automatic level).
   */
  kind?: 'floor' | 'advisory';
  evaluate(ctx: TriageContext): RuleHit | undefined;
}

/** A rule whose only trigger is a set of chief-complaint concepts (any one of them). */
export function complaintHit(
  ctx: TriageContext,
  concepts: ReadonlyArray<Parameters<TriageSignals['complaint']['get']>[0]>,
  reason: (words: string) => string,
  evidence: Array<ResourceRef | undefined> = [],
): RuleHit | undefined {
  for (const c of concepts) {
    const words = ctx.signals.complaint.get(c);
    if (words !== undefined) return { reason: reason(words), evidence };
  }
  return undefined;
}

/**
 * The evaluate() of a rule on the newest plausible reading of one vital sign: it fires when `fires` holds,
 * and cites the reading (and the patient too when `citePatient`, for rules where age is part of the test).
 */
export function onVital(
  kind: VitalKind,
  fires: (value: number, s: ClinicalSnapshot) => boolean,
  reason: (shown: string) => string,
  { citePatient = false } = {},
): TriageRule['evaluate'] {
  return ({ s }) => {
    const m = vital(s, kind);
    if (!m || !fires(m.value, s)) return undefined;
    return {
      reason: reason(fmt(m.value)),
      evidence: citePatient ? [m.source, s.patient.source] : [m.source],
    };
  };
}
